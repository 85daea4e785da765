package dev.engram.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Requests are read strictly: a typo'd field, a number sent as a string or a float where an integer
 * belongs is a 400 naming the field, not a silently different request.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Last, so Quarkus's own customizer (quarkus.jackson.*) cannot loosen these again. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // {"prompt": "a", "prompt": "b"} would silently keep the last: refuse it like any other ambiguous body
        mapper.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        mapper.getFactory().setInputDecorator(new WellFormedText.Utf8Check());
        mapper.registerModule(new SimpleModule("engram-well-formed-text")
                .addDeserializer(String.class, new WellFormedText.Strings())
                .addDeserializer(JsonNode.class, new WellFormedText.Trees()));
        // Funqy's bindings read with copies of this mapper on which they turn FAIL_ON_UNKNOWN_PROPERTIES off
        // again (Lambda before any startup hook could swap its reader); a problem handler is consulted
        // before that feature, and copies keep it.
        mapper.addHandler(new RefuseUnknownFields());
        refuse(
                mapper,
                LogicalType.Textual,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(
                mapper,
                LogicalType.Integer,
                CoercionInputShape.String,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer);
    }

    /** An unknown field in one of Engram's own types is an error whatever the mapper's features say. */
    static final class RefuseUnknownFields extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                JsonDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName)
                throws IOException {
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            if (type.getName().startsWith("dev.engram.")) {
                throw UnrecognizedPropertyException.from(
                        p, beanOrClass, propertyName, deserializer.getKnownPropertyNames());
            }
            return false;
        }
    }

    private static void refuse(ObjectMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }
}
