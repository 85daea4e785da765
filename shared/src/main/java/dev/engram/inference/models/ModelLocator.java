package dev.engram.inference.models;

import com.github.tjake.jlama.safetensors.SafeTensorSupport;
import dev.engram.errors.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Finds the model directory: a local path as given, or a Hugging Face id resolved into the cache
 * directory, downloading it on first use. Without network the download fails fast with a message
 * that says what to do, instead of hanging.
 */
public final class ModelLocator {
    private static final Logger LOG = Logger.getLogger(ModelLocator.class);
    private static final Pattern HF_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final URI HUB = URI.create("https://huggingface.co/api/models/");

    private static final String EMBEDDED = "models/stories260K/";
    private static final String[] EMBEDDED_FILES = {
        "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "README.md"
    };

    private ModelLocator() {}

    /**
     * A local model: a GGUF file, a directory holding one, or a Hugging Face directory with
     * config.json. Anything else is refused with the fix named.
     */
    public static Path local(Path location) {
        boolean found = Files.isRegularFile(location)
                ? location.getFileName().toString().endsWith(".gguf")
                : Files.isRegularFile(location.resolve("config.json")) || holdsOneGguf(location);
        if (!found) {
            throw new IllegalStateException("No model at " + location.toAbsolutePath()
                    + ": expected a .gguf file, or a directory with config.json, model.safetensors and tokenizer.json. Set "
                    + "ENGRAM_MODEL_PATH (engram.model.path) to a model, or unset it and set ENGRAM_MODEL_ID (engram.model.id) "
                    + "to a Hugging Face model id");
        }
        return location;
    }

    private static boolean holdsOneGguf(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".gguf"))
                            .count()
                    == 1;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The stories260K model the project carries (shared/src/main/resources/models/stories260K): used
     * in place when the classes are plain files, copied once into {@code cacheDir} when they are
     * packaged in a jar (a model is read from files).
     */
    public static Path embedded(Path cacheDir) {
        return embedded(ModelLocator.class.getClassLoader(), cacheDir);
    }

    static Path embedded(ClassLoader classes, Path cacheDir) {
        URL config = classes.getResource(EMBEDDED + "config.json");
        if (config == null) {
            throw new IllegalStateException("The embedded model is missing from the classpath (" + EMBEDDED + ")");
        }
        try {
            if (config.getProtocol().equals("file")) {
                return Path.of(config.toURI()).getParent();
            }
            Path target = cacheDir.resolve("embedded").resolve("stories260K");
            Files.createDirectories(target);
            for (String name : EMBEDDED_FILES) {
                Path file = target.resolve(name);
                try (InputStream in = classes.getResourceAsStream(EMBEDDED + name)) {
                    if (in == null) {
                        throw new IllegalStateException("The embedded model has no " + name);
                    }
                    byte[] bytes = in.readAllBytes();
                    if (!Files.isRegularFile(file) || Files.size(file) != bytes.length) {
                        // Written beside and moved into place, so a killed instance never leaves half a file.
                        Path part = target.resolve(name + ".part");
                        Files.write(part, bytes);
                        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            return target;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Could not read the embedded model: " + e.getMessage(), e);
        }
    }

    /** The cached copy of {@code id}, downloaded into {@code cacheDir} if it is not there yet. */
    public static Path huggingFace(String id, Path cacheDir, Duration connectTimeout) {
        if (!HF_ID.matcher(id).matches()) {
            throw new IllegalStateException("engram.model.id must look like owner/name, got '" + id + "'");
        }
        String[] parts = id.split("/");
        Path cached = SafeTensorSupport.constructLocalModelPath(cacheDir.toString(), parts[0], parts[1]);
        if (Files.isRegularFile(cached.resolve("config.json")) && Files.exists(cached.resolve(".finished"))) {
            return cached;
        }
        probe(id, connectTimeout);
        try {
            Files.createDirectories(cacheDir);
            LOG.infof("Downloading %s into %s", id, cacheDir);
            return SafeTensorSupport.maybeDownloadModel(cacheDir.toString(), id).toPath();
        } catch (IOException e) {
            throw unreachable(id, e);
        }
    }

    /** One cheap request with a short timeout, so an offline machine fails in seconds. */
    private static void probe(String id, Duration connectTimeout) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        try (client) {
            HttpRequest request = HttpRequest.newBuilder(HUB.resolve(id))
                    .timeout(connectTimeout)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 404 || response.statusCode() == 401) {
                throw new IllegalStateException("Hugging Face has no model '" + id + "' (HTTP " + response.statusCode()
                        + "); check engram.model.id, or set HF_TOKEN for a gated model");
            }
        } catch (IOException e) {
            throw unreachable(id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(id, e);
        }
    }

    private static UnavailableException unreachable(String id, Exception cause) {
        return new UnavailableException(
                "model_unavailable",
                "Cannot download model '" + id + "' from Hugging Face ("
                        + cause.getClass().getSimpleName() + ": "
                        + cause.getMessage() + "). Set engram.model.path (ENGRAM_MODEL_PATH) to a local model "
                        + "directory, or put the model into engram.model.cache-dir first.",
                Duration.ofSeconds(30),
                cause);
    }
}
