package dev.engram.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.quarkus.funqy.runtime.FunctionInvoker;
import io.quarkus.funqy.runtime.FunctionRecorder;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Funqy's HTTP binding reads bodies with a copy of the application's ObjectMapper on which it turns
 * unknown properties off and case-insensitive names on, so {@code "max_tokens"} or {@code "PROMPT"}
 * would be accepted silently. Once Funqy is initialised, each function's reader is replaced by one
 * from the strict mapper ({@link StrictJson}). The Knative binding does the same with a second reader;
 * the Lambda binding reads with the application's (strict) mapper already.
 */
@ApplicationScoped
public class StrictFunqyReaders {
    static final String KNATIVE_DATA_READER = ObjectReader.class.getName() + "_DATA_OBJECT_READER";

    void install(@Observes StartupEvent started, ObjectMapper json) {
        if (FunctionRecorder.registry == null) {
            return;
        }
        for (FunctionInvoker invoker : FunctionRecorder.registry.invokers()) {
            if (invoker.hasInput()) {
                ObjectReader strict = json.readerFor(json.constructType(invoker.getInputType()));
                invoker.getBindingContext().put(ObjectReader.class.getName(), strict);
                // Funqy's Knative binding reads event data with a reader of its own, under this key.
                invoker.getBindingContext().put(KNATIVE_DATA_READER, strict);
            }
        }
    }
}
