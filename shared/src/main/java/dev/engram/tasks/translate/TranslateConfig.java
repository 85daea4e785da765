package dev.engram.tasks.translate;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** How {@code translate} behaves: {@code engram.translate.*}. */
@ConfigMapping(prefix = "engram.translate")
public interface TranslateConfig {

    /**
     * The languages the function accepts and detects, as ISO 639-1 codes Lingua knows. Each costs
     * detector memory (about 25 MB in high-accuracy mode), so list only those the model can translate.
     */
    @WithDefault("en,de,fr,es,it,pt,nl,pl,sv,ru,zh,ja")
    List<String> languages();

    /**
     * Lingua's low-accuracy mode: trigram models only, about a sixth of the memory and a fast start,
     * but noticeably less reliable on texts under ~120 characters.
     */
    @WithDefault("false")
    boolean lowAccuracy();

    /**
     * The most model calls (chunks) one translation may take; a longer text is a 400 before the model
     * runs. Each non-empty line is at least one chunk.
     */
    @WithDefault("64")
    int maxChunks();
}
