package dev.engram.tasks.classify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;

/**
 * One candidate label: a {@code name} (what the answer says) and an optional {@code description}
 * (what it means, for the prompt and the embedding). In JSON either a plain string or
 * {@code {"name": ..., "description": ...}}.
 */
@JsonDeserialize(using = ClassifyLabel.Reader.class)
@RegisterForReflection
public record ClassifyLabel(String name, String description) {

    public static ClassifyLabel of(String name) {
        return new ClassifyLabel(name, null);
    }

    /** Strict like every request field: a string, or an object with only the two known string fields. */
    static final class Reader extends StdDeserializer<ClassifyLabel> {
        Reader() {
            super(ClassifyLabel.class);
        }

        @Override
        public ClassifyLabel deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return of(text(parser, context));
            }
            if (token != JsonToken.START_OBJECT) {
                return context.reportInputMismatch(
                        this, "a label is a string or an object {name, description}, got %s", token);
            }
            String name = null;
            String description = null;
            for (JsonToken next = parser.nextToken(); next == JsonToken.FIELD_NAME; next = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"name".equals(field) && !"description".equals(field)) {
                    return context.reportInputMismatch(
                            this, "unknown label field '%s' (known fields: description, name)", field);
                }
                if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                    return context.reportInputMismatch(this, "label field '%s' must be a string, got %s", field, value);
                }
                String text = value == JsonToken.VALUE_NULL ? null : text(parser, context);
                if ("name".equals(field)) {
                    name = text;
                } else {
                    description = text;
                }
            }
            return new ClassifyLabel(name, description);
        }

        /** Through the mapper's own String reader, so a label gets the same checks (well-formed Unicode) as any text field. */
        private static String text(JsonParser parser, DeserializationContext context) throws IOException {
            return context.readValue(parser, String.class);
        }
    }
}
