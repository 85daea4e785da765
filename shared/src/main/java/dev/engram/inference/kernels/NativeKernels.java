package dev.engram.inference.kernels;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import jdk.incubator.vector.VectorShape;

/**
 * The native kernels ({@code src/main/c}), mostly integer ones: {@link Q4Matrix} and {@link Q8Matrix}
 * weights times inputs quantized to 8 bits per block of 32, one integer dot-product instruction per 32 or 64
 * multiply-adds. The Vector API has no such instruction; the float kernels spend about 20 operations
 * per block, so decode is bound by arithmetic rather than by memory.
 *
 * <p>The library is built for Linux on x86-64 and loaded from the jar through an anonymous memory
 * file, so nothing is written to disk. Each block's product is an exact integer and the float scaling
 * runs in one order per token, so a token's result is the same alone or with others, from either
 * variant, and from the kernel for one token or the one for many.
 *
 * <p>The same library carries one float kernel: {@link F32Matrix} rows for decoding, summed in the
 * Vector API kernel's order, four rows at a time so that the weights stream at the memory's pace.
 */
public final class NativeKernels {
    /** The processor features a variant needs. */
    public enum Variant {
        /** AVX2 with FMA and F16C: pairs of byte products, then pairs of 16-bit sums. */
        AVX2(1, "AVX2"),
        /** AVX-512 VNNI: four byte products and their sum in one instruction. */
        VNNI(2, "AVX-512 VNNI"),
        /**
         * AVX-512 VNNI, and AMX tiles for Q4_0 panels times a dozen tokens or more (Sapphire Rapids and
         * later; Linux must grant the process the tile state): one instruction multiplies sixteen
         * tokens by a block of sixteen rows. About 1.5–1.9 times VNNI's speed on prompts.
         */
        AMX(4, "AVX-512 VNNI, AMX");

        private final int feature;
        private final String label;

        Variant(int feature, String label) {
            this.feature = feature;
            this.label = label;
        }
    }

    /**
     * Inputs quantized per block of 32: {@code x ≈ q · d}, and {@code c = -8 · Σq} for 4-bit weights;
     * {@code tiles} holds {@code q} again, laid out for the AMX kernel, or is null.
     */
    public record Input(byte[] q, float[] d, int[] c, int tokens, int cols, byte[] tiles) {
        public Input {
            int blocks = tokens * (cols / 32);
            if (cols % 32 != 0 || q.length < tokens * cols || d.length < blocks || c.length < blocks) {
                throw new IllegalArgumentException("arrays too short for " + tokens + " inputs of " + cols);
            }
            if (tiles != null && tiles.length < (tokens + TILE_TOKENS - 1) / TILE_TOKENS * TILE_TOKENS * cols) {
                throw new IllegalArgumentException("tiles too short for " + tokens + " inputs of " + cols);
            }
        }
    }

    /** Tokens in one AMX tile; fewer than {@link #TILED_FROM} in all are faster on VNNI (int8_amx.h). */
    private static final int TILE_TOKENS = 16;

    private static final int TILED_FROM = 12;

    private static final String RESOURCE = "linux-x86-64/libengram_kernels.so";
    private static final int MFD_CLOEXEC = 1;
    private static final Linker.Option CRITICAL = Linker.Option.critical(true);
    private static final FunctionDescriptor Q4 = FunctionDescriptor.ofVoid(
            ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor Q4_TILES = FunctionDescriptor.ofVoid(
            ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor TILE = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor Q8 = FunctionDescriptor.ofVoid(
            ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor PACK =
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor F32 =
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor QUANTIZE =
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);

    private static final Library LIBRARY = Library.load();

    private final Variant variant;
    private final MethodHandle q4;
    private final MethodHandle q8;
    private final MethodHandle q4Panels;
    private final MethodHandle q8Panels;
    private final MethodHandle pack;
    private final MethodHandle packQ8;
    private final MethodHandle tile;
    /** F32 rows, where the kernels' vectors are as wide as the Vector API's: else null. */
    private final MethodHandle f32;

    private NativeKernels(Variant variant, SymbolLookup symbols) {
        this.variant = variant;
        // AMX adds a panel kernel only: its rows and Q8_0 kernels are VNNI's.
        String rows =
                "_" + (variant == Variant.AMX ? Variant.VNNI : variant).name().toLowerCase(Locale.ROOT);
        this.q4 = downcall(symbols, "engram_q4_0" + rows, Q4);
        this.q8 = downcall(symbols, "engram_q8_0" + rows, Q8);
        boolean panels = variant != Variant.AVX2;
        boolean tiles = variant == Variant.AMX;
        this.q4Panels = tiles
                ? downcall(symbols, "engram_q4_0_panels_amx", Q4_TILES)
                : panels ? downcall(symbols, "engram_q4_0_panels_vnni", Q4) : null;
        this.tile = tiles ? downcall(symbols, "engram_tile_q8", TILE) : null;
        this.pack = panels ? downcall(symbols, "engram_q4_0_pack", PACK) : null;
        // AMX multiplies Q4_0 panels only: Q8_0 panels stay with VNNI for any number of tokens.
        this.q8Panels = panels ? downcall(symbols, "engram_q8_0_panels_vnni", Q4) : null;
        this.packQ8 = panels ? downcall(symbols, "engram_q8_0_pack", PACK) : null;
        this.f32 = Lanes.LENGTH == (panels ? 16 : 8) ? downcall(symbols, "engram_f32" + rows, F32) : null;
    }

    /**
     * The fastest variant this processor runs within the JVM's own vector width, or empty when the
     * library cannot load here. A JVM kept to 256-bit vectors ({@code -XX:UseAVX=2}, {@code
     * -XX:MaxVectorSize=32}: what operators set where AVX-512 lowers the clock) keeps the native
     * kernels to AVX2 as well.
     */
    public static Optional<NativeKernels> best() {
        if (VectorShape.preferredShape().vectorBitSize() < 512) {
            return of(Variant.AVX2);
        }
        return of(Variant.AMX).or(() -> of(Variant.VNNI)).or(() -> of(Variant.AVX2));
    }

    /** {@code variant}, or empty when the library cannot load here or the processor lacks its features. */
    public static Optional<NativeKernels> of(Variant variant) {
        if (LIBRARY.symbols == null || (LIBRARY.features & variant.feature) == 0) {
            return Optional.empty();
        }
        return Optional.of(new NativeKernels(variant, LIBRARY.symbols));
    }

    /** Why {@link #best} is empty, for the log; empty when it is not. */
    public static Optional<String> unavailableReason() {
        if (LIBRARY.symbols == null) {
            return Optional.of(LIBRARY.failure);
        }
        return (LIBRARY.features & Variant.AVX2.feature) == 0
                ? Optional.of("the processor lacks AVX2, FMA or F16C")
                : Optional.empty();
    }

    public Variant variant() {
        return variant;
    }

    /** Describes the kernels for logs and reports, e.g. "native kernels (AVX-512 VNNI)". */
    public String describe() {
        return "native kernels (" + variant.label + ")";
    }

    /**
     * Whether these kernels multiply {@code w}: Q4_0 and Q8_0 weights, for tokens being decoded and for
     * a prompt's tokens alike (in panels where {@link #packs} put them there, else row by row). On
     * AVX2 as on AVX-512, an integer block sum costs a fraction of the Vector API's float product.
     */
    public boolean takes(WeightMatrix w) {
        return w instanceof Q4Matrix || w instanceof Q8Matrix;
    }

    /**
     * Whether {@code w} is faster in panels: Q4_0 and Q8_0 weights with AVX-512 VNNI (and AMX), where
     * sixteen rows' sums come out one per lane and decoding reads the weights at the memory's pace.
     */
    public boolean packs(WeightMatrix w) {
        return switch (w) {
            case Q4Matrix m -> pack != null && !m.inPanels();
            case Q8Matrix m -> packQ8 != null && !m.inPanels();
            default -> false;
        };
    }

    /** Bytes {@code w} takes in panels ({@link Q4Matrix#panelBytes}, {@link Q8Matrix#panelBytes}). */
    public static long panelBytes(WeightMatrix w) {
        return switch (w) {
            case Q4Matrix m -> Q4Matrix.panelBytes(m.rows(), m.cols());
            case Q8Matrix m -> Q8Matrix.panelBytes(m.rows(), m.cols());
            default -> throw new IllegalArgumentException("no panels for " + w.format());
        };
    }

    /**
     * Rearranges rows {@code [from, to)} of a Q4_0 or Q8_0 matrix {@code w} into {@code panels} ({@link
     * #panelBytes} long); both ends are multiples of sixteen, or {@code to} is the last row.
     */
    public void pack(WeightMatrix w, MemorySegment panels, int from, int to) {
        MethodHandle kernel = w instanceof Q8Matrix ? packQ8 : w instanceof Q4Matrix ? pack : null;
        if (kernel == null) {
            throw new UnsupportedOperationException("panels need AVX-512 VNNI and Q4_0 or Q8_0 weights");
        }
        Objects.checkFromToIndex(from, to, w.rows());
        if (from % 16 != 0 || (to % 16 != 0 && to != w.rows())) {
            throw new IllegalArgumentException("rows " + from + " to " + to + " are not whole groups of sixteen");
        }
        if (panels.byteSize() < panelBytes(w)) {
            throw new IllegalArgumentException("panels too short for " + w.rows() + " x " + w.cols());
        }
        call(() -> {
            kernel.invokeExact(w.data(), w.rows(), w.cols(), from / 16, (to + 15) / 16, panels);
        });
    }

    /** Quantizes {@code tokens} inputs of {@code cols} values each (a multiple of 32), one after the other in {@code x}. */
    public Input quantize(float[] x, int tokens, int cols) {
        if (cols % 32 != 0 || tokens < 0 || (long) tokens * cols > x.length) {
            throw new IllegalArgumentException(tokens + " inputs of " + cols + " values do not fit " + x.length);
        }
        int blocks = tokens * (cols / 32);
        byte[] tiles = tile != null && tokens >= TILED_FROM
                ? new byte[(tokens + TILE_TOKENS - 1) / TILE_TOKENS * TILE_TOKENS * cols]
                : null;
        Input in = new Input(new byte[tokens * cols], new float[blocks], new int[blocks], tokens, cols, tiles);
        call(() -> {
            LIBRARY.quantize.invokeExact(heap(x), tokens, cols, heap(in.q), heap(in.d), heap(in.c));
        });
        if (tiles != null) {
            call(() -> {
                tile.invokeExact(heap(in.q), tokens, cols, heap(tiles));
            });
        }
        return in;
    }

    /**
     * Rows {@code [from, to)} of {@code w}'s product with every token of {@code x}:
     * {@code y[t * w.rows() + r]}. A token's result does not depend on how many tokens there are or
     * how the rows are cut, and is the same from every variant.
     */
    public void multiply(WeightMatrix w, Input x, float[] y, int from, int to) {
        Objects.checkFromToIndex(from, to, w.rows());
        if (x.cols != w.cols() || (long) x.tokens * w.rows() > y.length) {
            throw new IllegalArgumentException("input of " + x.tokens + " x " + x.cols + " does not match " + w.rows()
                    + " x " + w.cols() + " into " + y.length);
        }
        switch (w) {
            case Q4Matrix m
            when m.inPanels() && tile != null -> {
                MemorySegment tiles = x.tiles == null ? MemorySegment.NULL : heap(x.tiles);
                call(() -> {
                    q4Panels.invokeExact(
                            m.panels(),
                            from,
                            to,
                            m.cols(),
                            heap(x.q),
                            heap(x.d),
                            heap(x.c),
                            x.tokens,
                            heap(y),
                            m.rows(),
                            tiles);
                });
            }
            case Q4Matrix m when m.inPanels() && q4Panels != null -> withSums(q4Panels, m.panels(), m, x, y, from, to);
            case Q4Matrix m -> withSums(q4, m.data(), m, x, y, from, to);
            case Q8Matrix m when m.inPanels() && q8Panels != null -> withSums(q8Panels, m.panels(), m, x, y, from, to);
            case Q8Matrix m ->
                call(() -> {
                    q8.invokeExact(m.data(), from, to, m.cols(), heap(x.q), heap(x.d), x.tokens, heap(y), m.rows());
                });
            default -> throw new IllegalArgumentException("no int8 kernel for " + w.format());
        }
    }

    /** A kernel that also takes the inputs' block sums ({@code Q4} in shape): Q4_0 rows, Q4_0 and Q8_0 panels. */
    private static void withSums(
            MethodHandle kernel, MemorySegment weights, WeightMatrix w, Input x, float[] y, int from, int to) {
        call(() -> {
            kernel.invokeExact(
                    weights, from, to, w.cols(), heap(x.q), heap(x.d), heap(x.c), x.tokens, heap(y), w.rows());
        });
    }

    /**
     * Whether {@link #decode(F32Matrix, float[], int, float[], int, int)} serves here: it sums each row in
     * the Vector API kernel's order, so only where its vectors are as wide.
     */
    public boolean decodesF32() {
        return f32 != null;
    }

    /**
     * Rows {@code [from, to)} of {@code w}'s product with {@code tokens} inputs of {@code w.cols()} floats
     * one after the other in {@code x}: {@code y[t * w.rows() + r]}, each row summed exactly as {@link
     * F32Matrix#decode} sums it (the same bits), four rows at a time.
     */
    public void decode(F32Matrix w, float[] x, int tokens, float[] y, int from, int to) {
        if (f32 == null) {
            throw new UnsupportedOperationException("no native F32 kernel for " + Lanes.describe());
        }
        Objects.checkFromToIndex(from, to, w.rows());
        if ((long) tokens * w.cols() > x.length || (long) tokens * w.rows() > y.length) {
            throw new IllegalArgumentException(
                    tokens + " inputs do not fit " + x.length + " floats, or their products " + y.length);
        }
        call(() -> {
            f32.invokeExact(w.data(), from, to, w.cols(), heap(x), tokens, heap(y), w.rows());
        });
    }

    private static MemorySegment heap(float[] a) {
        return MemorySegment.ofArray(a);
    }

    private static MemorySegment heap(byte[] a) {
        return MemorySegment.ofArray(a);
    }

    private static MemorySegment heap(int[] a) {
        return MemorySegment.ofArray(a);
    }

    /** A downcall; the kernels check nothing, so every call is checked before it is made. */
    @FunctionalInterface
    private interface Call {
        void run() throws Throwable;
    }

    private static void call(Call call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Heap arrays go straight to the kernels: the calls are short and never call back into Java. */
    private static MethodHandle downcall(SymbolLookup symbols, String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(symbols.findOrThrow(name), descriptor, CRITICAL);
    }

    /** The loaded library and what the processor offers, or why it did not load. */
    private record Library(SymbolLookup symbols, int features, MethodHandle quantize, String failure) {
        static Library load() {
            String os = System.getProperty("os.name");
            String arch = System.getProperty("os.arch");
            if (!"Linux".equals(os) || !"amd64".equals(arch)) {
                return failed("it is built for Linux on x86-64, this is " + os + " on " + arch);
            }
            try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    return failed("this build does not contain it (gcc was missing when it was built)");
                }
                SymbolLookup symbols = open(in.readAllBytes());
                int features = (int) Linker.nativeLinker()
                        .downcallHandle(symbols.findOrThrow("engram_features"), FunctionDescriptor.of(JAVA_INT))
                        .invokeExact();
                return new Library(symbols, features, downcall(symbols, "engram_quantize_q8", QUANTIZE), null);
            } catch (Throwable e) {
                return failed("it did not load: " + e);
            }
        }

        private static Library failed(String reason) {
            return new Library(null, 0, null, reason);
        }

        /** Loads the library from an anonymous memory file: no file on disk to leave behind, even after a kill. */
        private static SymbolLookup open(byte[] library) throws Throwable {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            MethodHandle memfdCreate = linker.downcallHandle(
                    libc.findOrThrow("memfd_create"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            MethodHandle close =
                    linker.downcallHandle(libc.findOrThrow("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            int fd;
            try (Arena arena = Arena.ofConfined()) {
                fd = (int) memfdCreate.invokeExact(arena.allocateFrom("engram-kernels"), MFD_CLOEXEC);
            }
            if (fd < 0) {
                throw new IOException("memfd_create failed");
            }
            try {
                String file = "/proc/self/fd/" + fd;
                Files.write(Path.of(file), library);
                // By name: the Path form resolves the link to "/memfd:… (deleted)", which dlopen cannot open.
                return SymbolLookup.libraryLookup(file, Arena.global());
            } finally {
                // The loaded library keeps its own mapping; a failed close would only leak the descriptor.
                int unused = (int) close.invokeExact(fd);
            }
        }
    }
}
