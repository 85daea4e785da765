package dev.engram.batch;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code open(2)} with {@code O_NONBLOCK}, through the FFM API: Java's own opens block on a FIFO until
 * the other end appears, so a FIFO put where a checked regular file was (between the check and the open)
 * would hang the opening thread. Opened without blocking, the file is then looked at through
 * {@code /proc/self/fd}, which names the very file opened, whatever happened to the path since. Linux
 * only (the flag values below are those of its common architectures); elsewhere {@link #available()}
 * is false and callers rely on their check before the open.
 */
final class NativeOpen {
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_NOCTTY = 0400;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int MODE = 0644;
    /** What the errors a caller can meet mean, without the path (it may be the server's, not the caller's). */
    private static final Map<Integer, String> ERRORS = Map.of(
            2,
            "no such file or directory",
            6,
            "no reader on the other end",
            13,
            "permission denied",
            20,
            "a path component is not a directory",
            21,
            "is a directory",
            28,
            "no space left on device",
            30,
            "read-only file system",
            36,
            "file name too long",
            40,
            "too many symbolic links",
            24,
            "too many open files");

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static {
        boolean linux =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
                        && Set.of("amd64", "x86_64", "aarch64", "riscv64", "ppc64le", "s390x")
                                .contains(System.getProperty("os.arch"))
                        && Files.isDirectory(Path.of("/proc/self/fd"));
        MethodHandle open = null;
        MethodHandle close = null;
        if (linux) {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            open = linker.downcallHandle(
                    libc.find("open").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                    Linker.Option.captureCallState("errno"),
                    Linker.Option.firstVariadicArg(2));
            close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        }
        OPEN = open;
        CLOSE = close;
    }

    /** An open file descriptor; {@link #path()} is the file it refers to, for as long as it is open. */
    record Descriptor(int fd) implements AutoCloseable {
        Path path() {
            return Path.of("/proc/self/fd/" + fd);
        }

        @Override
        public void close() {
            try {
                int ignored = (int) CLOSE.invokeExact(fd);
            } catch (Throwable e) {
                throw new IllegalStateException("close(" + fd + ") failed", e);
            }
        }
    }

    private NativeOpen() {}

    static boolean available() {
        return OPEN != null;
    }

    /** Opens {@code path} for reading, or for writing (created when absent), never blocking. */
    static Descriptor open(Path path, boolean write) throws IOException {
        int flags = (write ? O_WRONLY | O_CREAT : 0) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags, MODE);
            if (fd < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                throw new IOException(ERRORS.getOrDefault(errno, "error " + errno));
            }
            return new Descriptor(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("open(2) could not be called", e);
        }
    }
}
