package dev.engram.inference.kernels;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * A shared arena for weights that every decoded token streams: on Linux, allocations of 2 MiB or more
 * come from anonymous regions advised for transparent huge pages ({@code madvise(MADV_HUGEPAGE)},
 * which the kernel honours in its {@code madvise} and {@code always} modes). Streaming a matrix through 4 KiB pages costs a
 * page-table walk every 4 KiB and stops the processor's prefetchers at each page's end; 2 MiB pages
 * do neither. The regions are advised before anything touches them, so the kernel backs them with
 * large pages as they are first written; a region's untouched tail costs no memory.
 *
 * <p>Smaller allocations, and every allocation where the advice is not available, come from an
 * ordinary shared arena. Closing this arena unmaps its regions.
 */
public final class LargePageArena implements Arena {
    private static final long PAGE = 2L << 20;
    /** Regions are at least this large, so matrices share them and waste only the last one's tail. */
    private static final long REGION = 64L << 20;

    private static final LibC LIBC = LibC.load();

    private final Arena small = Arena.ofShared();
    private MemorySegment region = MemorySegment.NULL;
    private long used;

    /** Whether allocations of 2 MiB or more get regions advised for huge pages here. */
    public static boolean advises() {
        return LIBC != null;
    }

    @Override
    public synchronized MemorySegment allocate(long byteSize, long byteAlignment) {
        if (LIBC == null || byteSize < PAGE || byteAlignment > PAGE) {
            return small.allocate(byteSize, byteAlignment);
        }
        long offset = alignUp(used, byteAlignment);
        if (offset + byteSize > region.byteSize()) {
            region = LIBC.map(Math.max(REGION, alignUp(byteSize, PAGE)), small);
            offset = 0;
        }
        used = offset + byteSize;
        return region.asSlice(offset, byteSize);
    }

    @Override
    public MemorySegment.Scope scope() {
        return small.scope();
    }

    @Override
    public void close() {
        small.close();
    }

    private static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    /** The three calls, bound where the platform is Linux. */
    private record LibC(MethodHandle mmap, MethodHandle munmap, MethodHandle madvise) {
        private static final int PROT_READ_WRITE = 0x3;
        private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
        private static final int MADV_HUGEPAGE = 14;

        static LibC load() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                return null;
            }
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            try {
                return new LibC(
                        linker.downcallHandle(
                                libc.findOrThrow("mmap"),
                                FunctionDescriptor.of(
                                        ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG)),
                        linker.downcallHandle(
                                libc.findOrThrow("munmap"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)),
                        linker.downcallHandle(
                                libc.findOrThrow("madvise"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)));
            } catch (RuntimeException e) {
                return null;
            }
        }

        /**
         * {@code size} bytes (a multiple of 2 MiB) starting on a 2 MiB boundary, advised for huge pages and
         * unmapped when {@code owner} closes. One page more is mapped, so an aligned start always fits.
         */
        MemorySegment map(long size, Arena owner) {
            try {
                MemorySegment base = (MemorySegment) mmap.invokeExact(
                        MemorySegment.NULL, size + PAGE, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (base.address() == -1L) {
                    throw new OutOfMemoryError("could not map " + (size >> 20) + " MiB for the weights");
                }
                MemorySegment aligned = MemorySegment.ofAddress(alignUp(base.address(), PAGE));
                // Only advice: a kernel that ignores it still gives working memory in small pages.
                int ignored = (int) madvise.invokeExact(aligned, size, MADV_HUGEPAGE);
                return aligned.reinterpret(size, owner, segment -> unmap(base, size + PAGE));
            } catch (OutOfMemoryError | RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        private void unmap(MemorySegment base, long size) {
            try {
                int ignored = (int) munmap.invokeExact(base, size);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
