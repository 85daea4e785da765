package dev.engram.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.errors.UnavailableException;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.TokenListener;
import dev.engram.inference.engine.EngramEngine;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.inference.remote.RemoteConfigs;
import dev.engram.inference.remote.RemoteEngine;
import dev.engram.testing.synthetic.SyntheticModel;
import io.quarkus.runtime.configuration.MemorySize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the function's model: states for readiness, and clear failures for a missing or unreachable model. */
class ModelsTest {
    @TempDir
    Path temp;

    static ModelConfig model(Optional<Path> path, String id, Path cacheDir) {
        return new ModelConfig() {
            public Optional<Path> path() {
                return path;
            }

            public Optional<String> id() {
                return Optional.ofNullable(id);
            }

            public Path cacheDir() {
                return cacheDir;
            }

            public Duration downloadConnectTimeout() {
                return Duration.ofSeconds(5);
            }
        };
    }

    static InferenceConfig inference() {
        return inference(InferenceConfig.Backend.JLAMA);
    }

    static InferenceConfig inference(InferenceConfig.Backend backend) {
        return inference(backend, 0);
    }

    static InferenceConfig inference(InferenceConfig.Backend backend, int warmUpTokens) {
        return new InferenceConfig() {
            public Backend backend() {
                return backend;
            }

            public int queueSize() {
                return 4;
            }

            public Duration queueTimeout() {
                return Duration.ofSeconds(60);
            }

            public Optional<Integer> threads() {
                return Optional.empty();
            }

            public Optional<Path> workDir() {
                return Optional.empty();
            }

            public Optional<WeightFormat> quantize() {
                return Optional.empty();
            }

            @Override
            public boolean nativeKernels() {
                return true;
            }

            public int maxBatch() {
                return 4;
            }

            public int stepTokens() {
                return 64;
            }

            public Optional<MemorySize> kvMemory() {
                return Optional.of(new MemorySize(java.math.BigInteger.valueOf(64L << 20)));
            }

            public int defaultMaxTokens() {
                return 16;
            }

            public int warmUpTokens() {
                return warmUpTokens;
            }
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
    void aLlamaFamilyModelRunsOnTheOwnEngineUnlessJlamaIsAskedFor() {
        Path dir = SyntheticModel.write(temp.resolve("tiny"), SyntheticModel.Shape.tiny(), 7L);
        Models local = new Models(
                model(Optional.of(dir), "unused/unused", temp),
                inference(InferenceConfig.Backend.LOCAL),
                RemoteConfigs.unused());
        assertThat(local.get()).isInstanceOf(EngramEngine.class);
        assertThat(local.get().status().backend()).isEqualTo("engram");
        local.close();
        Models jlama = new Models(
                model(Optional.of(dir), "unused/unused", temp),
                inference(InferenceConfig.Backend.JLAMA),
                RemoteConfigs.unused());
        assertThat(jlama.get()).isInstanceOf(JlamaEngine.class);
        assertThat(jlama.get().status().backend()).isEqualTo("jlama");
        jlama.close();
    }

    @Test
    void theWarmUpRunsBeforeTheModelIsHandedOutAndIsNotCountedAsARequest() {
        Path dir = SyntheticModel.write(temp.resolve("tiny"), SyntheticModel.Shape.tiny(), 7L);
        AtomicInteger generations = new AtomicInteger();
        InferenceObserver counting = model -> {
            generations.incrementAndGet();
            return InferenceObserver.Generation.NONE;
        };
        for (InferenceConfig.Backend backend : InferenceConfig.Backend.values()) {
            if (backend == InferenceConfig.Backend.REMOTE) {
                continue;
            }
            generations.set(0);
            Models models = new Models(
                    model(Optional.of(dir), "unused/unused", temp),
                    inference(backend, 3),
                    RemoteConfigs.unused(),
                    counting);
            LanguageModel loaded = models.get();
            assertThat(models.warmUp()).as(backend.name()).isNotNull();
            assertThat(models.warmUp().tokens()).isEqualTo(3);
            assertThat(generations).as("the warm-up is not counted").hasValue(0);
            loaded.generate(GenerationRequest.greedy(Prompt.of("Once upon a time"), 2), TokenListener.NONE);
            assertThat(generations).as("a request after it is").hasValue(1);
            models.close();
        }
        Models cold = new Models(
                model(Optional.of(dir), "unused/unused", temp),
                inference(InferenceConfig.Backend.LOCAL, 0),
                RemoteConfigs.unused());
        cold.get();
        assertThat(cold.warmUp()).as("0 turns it off").isNull();
        cold.close();
    }

    @Test
    void withoutPathOrIdTheEmbeddedStoriesModelServes() {
        Models models = new Models(
                model(Optional.empty(), null, temp), inference(InferenceConfig.Backend.LOCAL), RemoteConfigs.unused());
        assertThat(models.get().name()).isEqualTo("stories260K");
        assertThat(models.get()).isInstanceOf(EngramEngine.class);
        models.close();
    }

    @Test
    void fromAJarTheEmbeddedModelIsCopiedOnceIntoTheCache() throws Exception {
        Path source = ModelLocator.embedded(temp);
        Path jar = temp.resolve("models.jar");
        try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar))) {
            for (String name : new String[] {
                "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "README.md"
            }) {
                out.putNextEntry(new java.util.jar.JarEntry("models/stories260K/" + name));
                out.write(java.nio.file.Files.readAllBytes(source.resolve(name)));
                out.closeEntry();
            }
        }
        try (var classes =
                new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            Path copied = ModelLocator.embedded(classes, temp.resolve("cache"));
            assertThat(copied).startsWith(temp.resolve("cache"));
            assertThat(java.nio.file.Files.mismatch(
                            copied.resolve("model.safetensors"), source.resolve("model.safetensors")))
                    .isEqualTo(-1);
            long modified = java.nio.file.Files.getLastModifiedTime(copied.resolve("model.safetensors"))
                    .toMillis();
            Thread.sleep(20);
            assertThat(ModelLocator.embedded(classes, temp.resolve("cache"))).isEqualTo(copied);
            assertThat(java.nio.file.Files.getLastModifiedTime(copied.resolve("model.safetensors"))
                            .toMillis())
                    .isEqualTo(modified);
            try (var files = java.nio.file.Files.list(copied)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
            }
        }
    }

    @Test
    void aMissingDirectoryFailsWithItsPath() {
        Path missing = temp.resolve("no-model-here");
        Models models =
                new Models(model(Optional.of(missing), "unused/unused", temp), inference(), RemoteConfigs.unused());
        assertThatThrownBy(models::get).isInstanceOfSatisfying(UnavailableException.class, e -> {
            assertThat(e.code()).isEqualTo("model_unavailable");
            assertThat(e.getMessage()).contains(missing.toString()).contains("config.json");
        });
        assertThat(models.state()).isEqualTo(Models.State.FAILED);
        assertThat(models.failure()).contains("no-model-here");
    }

    @Test
    void anUnreachableOrUnknownHubModelFailsFastWithWhatToDo() {
        Models models = new Models(
                model(Optional.empty(), "engram-test/no-such-model", temp.resolve("cache")),
                inference(),
                RemoteConfigs.unused());
        assertThatThrownBy(models::get).isInstanceOfSatisfying(UnavailableException.class, e -> {
            assertThat(e.code()).isEqualTo("model_unavailable");
            assertThat(e.getMessage()).contains("engram-test/no-such-model");
        });
        assertThat(models.state()).isEqualTo(Models.State.FAILED);
    }

    @Test
    void theRemoteBackendLoadsNoWeightsAndNeedsABaseUrl() {
        Path missing = temp.resolve("no-model-here"); // would fail a Jlama load
        Models remote = new Models(
                model(Optional.of(missing), "unused/unused", temp),
                inference(InferenceConfig.Backend.REMOTE),
                RemoteConfigs.to("http://127.0.0.1:9/v1"));
        assertThat(remote.get()).isInstanceOf(RemoteEngine.class);
        assertThat(remote.state()).isEqualTo(Models.State.READY);
        assertThat(remote.loaded().readiness().up())
                .as("nothing listens on port 9")
                .isFalse();
        assertThat(remote.loaded().readiness().details())
                .containsEntry("server", "http://127.0.0.1:9/v1")
                .containsEntry("serverAnswers", false)
                .containsEntry("breaker", "closed");
        remote.close();

        Models unconfigured = new Models(
                model(Optional.of(missing), "unused/unused", temp),
                inference(InferenceConfig.Backend.REMOTE),
                RemoteConfigs.unused());
        assertThatThrownBy(unconfigured::get)
                .isInstanceOfSatisfying(
                        UnavailableException.class,
                        e -> assertThat(e.getMessage()).contains("engram.inference.remote.base-url"));
        assertThat(unconfigured.state()).isEqualTo(Models.State.FAILED);
    }
}
