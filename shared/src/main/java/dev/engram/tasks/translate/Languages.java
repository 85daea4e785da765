package dev.engram.tasks.translate;

import dev.engram.errors.InvalidRequestException;
import dev.engram.errors.UnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * The languages {@code translate} supports ({@code engram.translate.languages}) and their detection.
 * The detector's models take seconds to load, so the function starts loading them at start-up in the
 * background, like the language model; a request that needs detection before then waits for it.
 */
@ApplicationScoped
public class Languages {
    private static final Logger LOG = Logger.getLogger(Languages.class);

    private final List<String> supported;
    private final boolean lowAccuracy;
    private volatile CompletableFuture<LinguaDetector> detector;

    public Languages(TranslateConfig config) {
        this.supported = config.languages().stream()
                .map(c -> c.strip().toLowerCase(Locale.ROOT))
                .distinct()
                .sorted()
                .toList();
        for (String code : supported) {
            if (!LinguaDetector.knows(code)) {
                throw new IllegalStateException("engram.translate.languages: '" + code
                        + "' is not an ISO 639-1 code the language detector knows");
            }
        }
        this.lowAccuracy = config.lowAccuracy();
    }

    public List<String> supported() {
        return supported;
    }

    /** Starts loading the detector's models (idempotent). */
    public synchronized void startLoading() {
        if (detector == null) {
            detector = CompletableFuture.supplyAsync(
                    () -> {
                        long start = System.nanoTime();
                        LinguaDetector loaded = new LinguaDetector(supported, lowAccuracy);
                        LOG.infof(
                                "Language detector ready for %s in %d ms",
                                supported, (System.nanoTime() - start) / 1_000_000);
                        return loaded;
                    },
                    task -> Thread.ofPlatform()
                            .name("engram-language-detector-loader")
                            .start(task));
        }
    }

    public Detection detect(String text) {
        startLoading();
        try {
            return detector.get().detect(text);
        } catch (ExecutionException e) {
            throw new UnavailableException(
                    "detector_unavailable",
                    "The language detector could not be loaded: " + e.getCause().getMessage(),
                    Duration.ofSeconds(30),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException(
                    "detector_loading", "Interrupted while waiting for the language detector", Duration.ofSeconds(5));
        }
    }

    /** A supported language code (lower-cased), or a 400 naming the field and listing what is supported. */
    public String require(String code, String field) {
        String normalised = code.strip().toLowerCase(Locale.ROOT);
        if (!supported.contains(normalised)) {
            String shown = code.length() > 20 ? code.substring(0, 20) + "..." : code;
            throw new InvalidRequestException(
                    "unsupported_language",
                    "'" + field + "' must be an ISO 639-1 code of a supported language " + supported + ", got \""
                            + shown + "\"");
        }
        return normalised;
    }

    /** The English name of a language, for prompts ("de" → "German"). */
    public static String name(String code) {
        return Locale.of(code).getDisplayLanguage(Locale.ENGLISH);
    }
}
