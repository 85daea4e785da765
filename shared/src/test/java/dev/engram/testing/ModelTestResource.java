package dev.engram.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a function under test at the stories260K reference model. */
public class ModelTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("engram.model.path", TestModels.stories260K().toString());
    }

    @Override
    public void stop() {}
}
