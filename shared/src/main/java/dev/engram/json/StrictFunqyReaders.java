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
 * from the strict mapper ({@link StrictJson}).
 */
@ApplicationScoped
public class StrictFunqyReaders {

    void install(@Observes StartupEvent started, ObjectMapper json) {
        if (FunctionRecorder.registry == null) {
            return;
        }
        for (FunctionInvoker invoker : FunctionRecorder.registry.invokers()) {
            if (invoker.hasInput()) {
                invoker.getBindingContext().put(ObjectReader.class.getName(), json.readerFor(json.constructType(invoker.getInputType())));
            }
        }
    }
}
