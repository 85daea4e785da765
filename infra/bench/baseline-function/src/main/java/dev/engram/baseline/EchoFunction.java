package dev.engram.baseline;

import io.quarkus.funqy.Funq;
import java.util.Map;

/** {@code POST /echo}: answers with what it was sent. */
public class EchoFunction {
    @Funq
    public Map<String, Object> echo(Map<String, Object> request) {
        return request;
    }
}
