package dev.engram.testing.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes an F32 {@code .safetensors} file whose tensors are filled with seeded pseudo-random values.
 *
 * <p>The data is cut into blocks of {@link #BLOCK_FLOATS} values; each block draws from its own
 * generator seeded by (seed, tensor index, block index). So the bytes depend only on the seed and
 * the tensor list, never on how many threads wrote them, and blocks can be generated in parallel and
 * written at their final positions.
 */
final class SafetensorsWriter {
    /** One tensor: values ~ mean + N(0, std) (approximately); std 0 gives a constant tensor. */
    record Tensor(String name, long[] shape, float mean, float std) {
        long elements() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }
    }

    static final int BLOCK_FLOATS = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sum of four uniform 16-bit integers (Irwin–Hall): its mean and standard deviation. */
    private static final float SUM4_MEAN = 4 * 65535 / 2f;

    private static final float SUM4_STD = (float) Math.sqrt(4 * (65536.0 * 65536.0 - 1) / 12);

    private SafetensorsWriter() {}

    /** The size the file will have, without writing it (to recognise a complete earlier write). */
    static long fileSize(List<Tensor> tensors) {
        return Long.BYTES
                + header(tensors).length
                + tensors.stream().mapToLong(t -> t.elements() * Float.BYTES).sum();
    }

    static void write(Path file, List<Tensor> tensors, long seed) throws IOException {
        byte[] header = header(tensors);
        long dataStart = Long.BYTES + header.length;
        List<Block> blocks = blocks(tensors, dataStart);
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer prefix = ByteBuffer.allocate((int) dataStart).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            writeFully(channel, prefix, 0);
            writeBlocksInParallel(channel, tensors, blocks, seed);
        }
    }

    /** A run of at most BLOCK_FLOATS values of one tensor, and where its bytes go in the file. */
    private record Block(int tensor, long index, int count, long filePosition) {}

    private static List<Block> blocks(List<Tensor> tensors, long dataStart) {
        List<Block> blocks = new ArrayList<>();
        long position = dataStart;
        for (int t = 0; t < tensors.size(); t++) {
            long remaining = tensors.get(t).elements();
            for (long index = 0; remaining > 0; index++) {
                int count = (int) Math.min(remaining, BLOCK_FLOATS);
                blocks.add(new Block(t, index, count, position));
                position += (long) count * Float.BYTES;
                remaining -= count;
            }
        }
        return blocks;
    }

    private static void writeBlocksInParallel(FileChannel channel, List<Tensor> tensors, List<Block> blocks, long seed)
            throws IOException {
        int threads = Math.clamp(Runtime.getRuntime().availableProcessors(), 1, 8);
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> workers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().daemon().factory())) {
            for (int i = 0; i < threads; i++) {
                workers.add(pool.submit(() -> {
                    // Per-thread scratch: one float[] to generate into, one direct buffer to write from.
                    float[] values = new float[BLOCK_FLOATS];
                    ByteBuffer bytes = ByteBuffer.allocateDirect(BLOCK_FLOATS * Float.BYTES)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    try {
                        for (int b = next.getAndIncrement(); b < blocks.size(); b = next.getAndIncrement()) {
                            Block block = blocks.get(b);
                            fill(values, block.count(), tensors.get(block.tensor()), blockSeed(seed, block));
                            bytes.clear();
                            bytes.asFloatBuffer().put(values, 0, block.count());
                            bytes.limit(block.count() * Float.BYTES);
                            writeFully(channel, bytes, block.filePosition());
                        }
                    } catch (Throwable failure) {
                        next.set(blocks.size()); // stop the other workers early
                        throw failure;
                    }
                    return null;
                }));
            }
            for (Future<Void> worker : workers) {
                worker.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("writing tensor data failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing tensor data");
        }
    }

    /** Normal-ish values: one 64-bit draw gives four uniforms whose sum is close to Gaussian (tails cut at ~3.5σ). */
    private static void fill(float[] values, int count, Tensor tensor, long seed) {
        if (tensor.std() == 0f) {
            Arrays.fill(values, 0, count, tensor.mean());
            return;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float scale = tensor.std() / SUM4_STD;
        float mean = tensor.mean();
        for (int i = 0; i < count; i++) {
            long bits = random.nextLong();
            long sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48);
            values[i] = mean + (sum - SUM4_MEAN) * scale;
        }
    }

    /** Distinct, well-mixed seeds for every (seed, tensor, block), so no two blocks share a stream. */
    private static long blockSeed(long seed, Block block) {
        return mix64(seed ^ mix64(((long) block.tensor() << 40) + block.index()));
    }

    /** The SplitMix64 finaliser. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data that follows is aligned. */
    private static byte[] header(List<Tensor> tensors) {
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Tensor tensor : tensors) {
            long end = offset + tensor.elements() * Float.BYTES;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", "F32");
            info.put("shape", tensor.shape());
            info.put("data_offsets", new long[] {offset, end});
            header.put(tensor.name(), info);
            offset = end;
        }
        header.put("__metadata__", Map.of("format", "pt"));
        try {
            byte[] json = JSON.writeValueAsBytes(header);
            int padded = (json.length + 7) & ~7;
            byte[] out = Arrays.copyOf(json, padded);
            Arrays.fill(out, json.length, padded, (byte) ' ');
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }
}
