package dev.engram.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.errors.UnavailableException;
import dev.engram.inference.remote.RemoteConfigs;
import dev.engram.inference.remote.RemoteEngine;
import dev.engram.testing.synthetic.SyntheticModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the function's model: states for readiness, and clear failures for a missing or unreachable model. */
class ModelsTest {
    @TempDir
    Path temp;

    static ModelConfig model(Optional<Path> path, String id, Path cacheDir) {
        return new ModelConfig() {
            public Optional<Path> path() { return path; }
            public String id() { return id; }
            public Path cacheDir() { return cacheDir; }
            public Duration downloadConnectTimeout() { return Duration.ofSeconds(5); }
        };
    }

    static InferenceConfig inference() {
        return inference(InferenceConfig.Backend.JLAMA);
    }

    static InferenceConfig inference(InferenceConfig.Backend backend) {
        return new InferenceConfig() {
            public Backend backend() { return backend; }
            public int queueSize() { return 4; }
            public Duration queueTimeout() { return Duration.ofSeconds(60); }
            public Optional<Integer> threads() { return Optional.empty(); }
            public Optional<Path> workDir() { return Optional.empty(); }
            public int defaultMaxTokens() { return 16; }
        };
    }

    @Test
    void notUsedLoadingThenReady() {
        Path dir = SyntheticModel.write(temp.resolve("tiny"), SyntheticModel.Shape.tiny(), 7L);
        Models models = new Models(model(Optional.of(dir), "unused/unused", temp), inference(), RemoteConfigs.unused());
        assertThat(models.state()).isEqualTo(Models.State.NOT_USED);
        models.startLoading();
        LanguageModel loaded = models.get();
        assertThat(models.state()).isEqualTo(Models.State.READY);
        assertThat(loaded.name()).isEqualTo("tiny");
        models.close();
    }

    @Test
    void aMissingDirectoryFailsWithItsPath() {
        Path missing = temp.resolve("no-model-here");
        Models models = new Models(model(Optional.of(missing), "unused/unused", temp), inference(), RemoteConfigs.unused());
        assertThatThrownBy(models::get).isInstanceOfSatisfying(UnavailableException.class, e -> {
            assertThat(e.code()).isEqualTo("model_unavailable");
            assertThat(e.getMessage()).contains(missing.toString()).contains("config.json");
        });
        assertThat(models.state()).isEqualTo(Models.State.FAILED);
        assertThat(models.failure()).contains("no-model-here");
    }

    @Test
    void anUnreachableOrUnknownHubModelFailsFastWithWhatToDo() {
        Models models = new Models(model(Optional.empty(), "engram-test/no-such-model", temp.resolve("cache")), inference(), RemoteConfigs.unused());
        assertThatThrownBy(models::get).isInstanceOfSatisfying(UnavailableException.class, e -> {
            assertThat(e.code()).isEqualTo("model_unavailable");
            assertThat(e.getMessage()).contains("engram-test/no-such-model");
        });
        assertThat(models.state()).isEqualTo(Models.State.FAILED);
    }

    @Test
    void theRemoteBackendLoadsNoWeightsAndNeedsABaseUrl() {
        Path missing = temp.resolve("no-model-here"); // would fail a Jlama load
        Models remote = new Models(model(Optional.of(missing), "unused/unused", temp), inference(InferenceConfig.Backend.REMOTE),
                RemoteConfigs.to("http://127.0.0.1:9/v1"));
        assertThat(remote.get()).isInstanceOf(RemoteEngine.class);
        assertThat(remote.state()).isEqualTo(Models.State.READY);
        assertThat(((RemoteEngine) remote.loaded()).serverAnswers()).isFalse();
        remote.close();

        Models unconfigured = new Models(model(Optional.of(missing), "unused/unused", temp), inference(InferenceConfig.Backend.REMOTE),
                RemoteConfigs.unused());
        assertThatThrownBy(unconfigured::get).isInstanceOfSatisfying(UnavailableException.class,
                e -> assertThat(e.getMessage()).contains("engram.inference.remote.base-url"));
        assertThat(unconfigured.state()).isEqualTo(Models.State.FAILED);
    }
}
