package dev.engram.testing.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import dev.engram.testing.synthetic.SyntheticModel.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {
    private static final Shape TINY = Shape.tiny();

    @TempDir
    Path temp;

    @Test
    void sameSeedGivesSameBytesAndAnotherSeedDifferentOnes() throws IOException {
        Path first = SyntheticModel.write(temp.resolve("first"), TINY, 42);
        Path second = SyntheticModel.write(temp.resolve("second"), TINY, 42);
        Path other = SyntheticModel.write(temp.resolve("other"), TINY, 43);

        for (String name : new String[] {"model.safetensors", "config.json", "tokenizer.json", "README.md"}) {
            assertThat(Files.mismatch(first.resolve(name), second.resolve(name)))
                    .as(name)
                    .isEqualTo(-1L);
        }
        assertThat(Files.mismatch(first.resolve("model.safetensors"), other.resolve("model.safetensors")))
                .isNotEqualTo(-1L);
        assertThat(Files.size(first.resolve("model.safetensors")))
                .isEqualTo(8 + headerLength(first) + 4 * TINY.parameters());
    }

    @Test
    void aCompleteDirectoryIsNotRewritten() throws IOException {
        Path dir = SyntheticModel.write(temp.resolve("model"), TINY, 7);
        FileTime old = FileTime.fromMillis(0);
        Files.setLastModifiedTime(dir.resolve("model.safetensors"), old);

        SyntheticModel.write(dir, TINY, 7);
        assertThat(Files.getLastModifiedTime(dir.resolve("model.safetensors"))).isEqualTo(old);

        SyntheticModel.write(dir, TINY, 8); // another seed: rewritten
        assertThat(Files.getLastModifiedTime(dir.resolve("model.safetensors"))).isNotEqualTo(old);
    }

    @Test
    void refusesADirectoryHoldingOtherFiles() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> SyntheticModel.write(dir, TINY, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jlamaTokenizerRoundTripsAndEveryIdDecodes() {
        Path dir = SyntheticModel.write(temp.resolve("model"), TINY, 1);
        LlamaTokenizer tokenizer = new LlamaTokenizer(dir);

        for (String text : new String[] {"hello world", "The quick brown fox, 42 times!", "a\tb\nc"}) {
            long[] ids = tokenizer.encode(text);
            assertInVocab(ids);
            assertThat(tokenizer.decode(ids)).isEqualTo(text);
        }
        assertThat(tokenizer.encode("hello world").length).as("merges apply").isLessThan("hello world".length() + 1);

        // Byte pieces are left out: Jlama's decoder buffers them across calls.
        for (long id = SyntheticTokenizer.BYTE_OFFSET + 256; id < TINY.vocab(); id++) {
            assertThat(tokenizer.decode(id)).as("id %d", id).isNotEmpty();
        }
    }

    @Test
    void jlamaLoadsItAndGreedyGenerationIsRepeatable() {
        Path dir = SyntheticModel.write(temp.resolve("model"), TINY, 3);
        AbstractModel model =
                ModelSupport.loadModel(dir.toFile(), null, DType.F32, DType.F32, Optional.empty(), Optional.empty());
        try {
            assertThat(model.getConfig().embeddingLength).isEqualTo(TINY.hidden());
            assertThat(model.getConfig().vocabularySize).isEqualTo(TINY.vocab());

            int[] first = greedy(model, "hello", 8);
            int[] second = greedy(model, "hello", 8);

            assertThat(first).hasSize(8);
            assertInVocab(Arrays.stream(first).asLongStream().toArray());
            assertThat(second).isEqualTo(first);
        } finally {
            model.close();
        }
    }

    @Test
    void quantizedCopyLoads() {
        Path source = SyntheticModel.write(temp.resolve("model"), TINY, 5);
        Path target = SyntheticModel.quantize(source, temp.resolve("model-q4"), DType.Q4);
        assertThat(target.resolve("README.md")).exists();

        AbstractModel model =
                ModelSupport.loadModel(target.toFile(), null, DType.F32, DType.I8, Optional.empty(), Optional.empty());
        try {
            int[] ids = greedy(model, "hello", 4);
            assertThat(ids).hasSize(4);
            assertInVocab(Arrays.stream(ids).asLongStream().toArray());
        } finally {
            model.close();
        }
        assertThat(SyntheticModel.quantize(source, target, DType.Q4)).isEqualTo(target); // cached
    }

    /** Prefill the prompt, then decode one token at a time, always taking the most likely token. */
    private static int[] greedy(AbstractModel model, String prompt, int count) {
        int[] prompted = model.encodePrompt(PromptContext.of(prompt));
        int[] generated = new int[count];
        try (KvBufferCache cache = new KvBufferCache(model);
                KvBufferCache.KvBuffer kv = cache.getEphemeralKvBuffer();
                AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize)) {
            AbstractTensor output = model.batchForward(prompted, 0, kv);
            generated[0] = model.sample(output.slice(output.shape().first() - 1), 0f, 0f, logits);
            output.close();
            for (int i = 1; i < count; i++) {
                output = model.forward(generated[i - 1], prompted.length + i - 1, kv, Optional.empty());
                generated[i] = model.sample(output, 0f, 0f, logits);
                output.close();
            }
        }
        return generated;
    }

    private static void assertInVocab(long[] ids) {
        assertThat(LongStream.of(ids).boxed().toList())
                .allSatisfy(id -> assertThat(id).isBetween(0L, TINY.vocab() - 1L));
    }

    private static long headerLength(Path dir) throws IOException {
        byte[] first8 = Arrays.copyOf(Files.readAllBytes(dir.resolve("model.safetensors")), 8);
        return ByteBuffer.wrap(first8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
