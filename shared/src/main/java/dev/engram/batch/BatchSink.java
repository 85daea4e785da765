package dev.engram.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Copies a job's results from Redis (the source of truth) into its JSONL file, in results-stream order.
 * The file is first cut back to the checkpointed byte offset — bytes written after the last checkpoint
 * by a writer that died are dropped and copied again — then the new results are appended, forced to
 * disk, and only then is the checkpoint (stream id, offset, lines) moved. A kill at any point therefore
 * leaves each result exactly once in the file after the next copy.
 */
final class BatchSink {
    private static final Logger LOG = Logger.getLogger(BatchSink.class);
    private static final int PAGE = 256;

    private BatchSink() {}

    /**
     * Copies what is new into {@code output}, a file of the tenant whose output directory is {@code dir};
     * returns the lines in the file afterwards, or -1 when the lease was lost.
     */
    static long copy(BatchStore store, BatchKeys keys, String owner, Path output, Path dir, Map<String, String> meta) {
        String afterId = meta.getOrDefault("sinkId", "0-0");
        long offset = Long.parseLong(meta.getOrDefault("sinkOffset", "0"));
        long written = Long.parseLong(meta.getOrDefault("written", "0"));
        try {
            try (FileChannel file = BatchFiles.write(output, dir)) {
                if (file.size() < offset) {
                    // the file was replaced or cut by someone else: rebuild it from the results stream
                    LOG.warnf(
                            "Batch output %s is shorter than its checkpoint (%d < %d bytes): rewriting it",
                            output, file.size(), offset);
                    afterId = "0-0";
                    offset = 0;
                    written = 0;
                }
                file.truncate(offset);
                while (true) {
                    List<BatchStore.Result> page = store.results(keys, afterId, PAGE);
                    if (page.isEmpty()) {
                        return written;
                    }
                    StringBuilder text = new StringBuilder();
                    for (BatchStore.Result result : page) {
                        text.append(result.json()).append('\n');
                    }
                    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    file.position(offset);
                    while (buffer.hasRemaining()) {
                        file.write(buffer);
                    }
                    file.force(false);
                    afterId = page.getLast().id();
                    offset += bytes.length;
                    written += page.size();
                    if (!store.checkpoint(keys, owner, afterId, offset, written)) {
                        return -1;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the batch output", e);
        }
    }

    /** The summary beside the output: the final status as JSON. */
    static void summary(Path output, Path dir, String json) {
        try (FileChannel file = BatchFiles.write(BatchFiles.summary(output), dir)) {
            file.truncate(0);
            ByteBuffer buffer = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                file.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the batch summary", e);
        }
    }
}
