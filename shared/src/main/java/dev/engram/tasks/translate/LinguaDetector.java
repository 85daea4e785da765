package dev.engram.tasks.translate;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * Lingua, restricted to the supported languages (its n-gram models are loaded for those only, all at
 * construction). The only class that names Lingua's types, so the library stays optional for modules
 * that never translate. Lingua's detector is thread-safe once its models are loaded.
 */
final class LinguaDetector {
    /** Detection reads the start of the text: enough for n-gram statistics, bounded cost. */
    static final int SAMPLE_CHARS = 1000;

    private final LanguageDetector detector;

    LinguaDetector(List<String> codes, boolean lowAccuracy) {
        List<IsoCode639_1> isoCodes = new ArrayList<>();
        for (String code : codes) {
            isoCodes.add(isoCode(code));
        }
        LanguageDetectorBuilder builder = LanguageDetectorBuilder.fromIsoCodes639_1(
                        isoCodes.toArray(IsoCode639_1[]::new))
                .withPreloadedLanguageModels();
        this.detector = (lowAccuracy ? builder.withLowAccuracyMode() : builder).build();
    }

    /** Whether Lingua knows {@code code} (a lower-case ISO 639-1 code). */
    static boolean knows(String code) {
        try {
            return Language.getByIsoCode639_1(IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT))) != Language.UNKNOWN;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    Detection detect(String text) {
        String sample = text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) : text;
        SortedMap<Language, Double> scores = detector.computeLanguageConfidenceValues(sample);
        if (scores.isEmpty()) {
            return Detection.UNKNOWN;
        }
        // Sorted best first; the best scores 1.0 and the others relative to it.
        List<Double> values = new ArrayList<>(scores.values());
        double runnerUp = values.size() > 1 ? values.get(1) : 0;
        String code = scores.firstKey().getIsoCode639_1().name().toLowerCase(Locale.ROOT);
        return new Detection(code, Math.round((values.getFirst() - runnerUp) * 1000) / 1000.0);
    }

    private static IsoCode639_1 isoCode(String code) {
        return IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT));
    }
}
