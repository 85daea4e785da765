package dev.engram.inference.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The arena the prepared weights live in, checked against the process's own memory map. */
class LargePageArenaTest {
    private static final long MIB = 1L << 20;

    @Test
    void largeAllocationsShareRegionsAdvisedForHugePagesAndCloseUnmapsThem() throws IOException {
        assumeTrue(LargePageArena.advises(), "huge-page advice is a Linux call");
        MemorySegment first;
        MemorySegment second;
        MemorySegment alone;
        try (LargePageArena arena = new LargePageArena()) {
            first = arena.allocate(5 * MIB, 64);
            second = arena.allocate(3 * MIB + 100, 64);
            alone = arena.allocate(70 * MIB, 64); // more than a region holds: one of its own
            assertEquals(0, first.address() % (2 * MIB), "a region starts on a 2 MiB boundary");
            assertEquals(first.address() + 5 * MIB, second.address(), "the second shares the first's region");
            assertEquals(0, alone.address() % (2 * MIB));
            List<MemorySegment> all = List.of(first, second, alone);
            for (int i = 0; i < all.size(); i++) {
                MemorySegment s = all.get(i);
                assertEquals(0, s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1), "fresh memory reads zero");
                s.fill((byte) (i + 1));
            }
            for (int i = 0; i < all.size(); i++) {
                MemorySegment s = all.get(i);
                assertEquals(i + 1, s.get(ValueLayout.JAVA_BYTE, 0));
                assertEquals(i + 1, s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1));
                assertTrue(advised(s.address()), "advised for huge pages: " + s);
            }
        }
        assertThrows(IllegalStateException.class, () -> first.get(ValueLayout.JAVA_BYTE, 0));
        // Unmapped: whatever the process maps there later is not one of these regions.
        assertFalse(advised(first.address()), "the region is unmapped");
        assertFalse(advised(alone.address()), "the region is unmapped");
    }

    @Test
    void smallAllocationsComeFromAnOrdinaryArenaClosedWithIt() {
        MemorySegment small;
        try (LargePageArena arena = new LargePageArena()) {
            small = arena.allocate(4096, 64);
            assertEquals(0, small.address() % 64);
            small.fill((byte) 7);
            assertEquals(7, small.get(ValueLayout.JAVA_BYTE, 4095));
            assertTrue(small.scope().isAlive());
        }
        assertFalse(small.scope().isAlive());
    }

    private static boolean advised(long address) throws IOException {
        return vmFlags(address).filter(flags -> flags.contains(" hg")).isPresent();
    }

    /** The flags of the mapping that holds {@code address}, from /proc/self/smaps, or empty if none does. */
    private static Optional<String> vmFlags(long address) throws IOException {
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                inside = address >= start && address < end;
            } else if (inside && line.startsWith("VmFlags:")) {
                return Optional.of(line);
            }
        }
        return Optional.empty();
    }
}
