package dev.engram.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;

/** Turns Jackson's exceptions into one short sentence naming the field and the problem. */
public final class BadJson {
    private BadJson() {}

    public static String describe(Throwable e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field '" + unknown.getPropertyName() + "' (known fields: "
                    + unknown.getKnownPropertyIds().stream()
                            .map(Object::toString)
                            .sorted()
                            .collect(Collectors.joining(", "))
                    + ")";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            // messages[0].content, as the request's own error messages write a place
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining())
                    .replaceFirst("^\\.", "");
            return "field '" + field + "': " + mapping.getOriginalMessage();
        }
        if (e instanceof JsonProcessingException parse) {
            var at = parse.getLocation();
            return parse.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        return e.getMessage();
    }
}
