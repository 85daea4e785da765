package dev.engram.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.batch.BatchStatus;
import dev.engram.batch.BatchSubmitRequest;
import dev.engram.batch.ResultLine;
import dev.engram.batch.StorageObjectEvent;
import dev.engram.errors.ErrorBody;
import dev.engram.testing.WireTypes;
import io.quarkus.funqy.Funq;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a native image of the batch function would need (checked in JVM mode: no GraalVM here). */
class BatchReflectionTest {
    @Test
    void everyRecordOfTheBatchFunctionsAndTheResultLinesIsRegisteredForReflection() {
        List<Type> roots = new ArrayList<>(List.of(WireTypes.signatures(BatchFunction.class, Funq.class)));
        roots.add(ResultLine.class); // written to the output file by the application's mapper
        roots.add(dev.engram.batch.OpenAiResultLine.class); // OpenAI Batch lines, with the answers of their endpoints
        roots.add(dev.engram.inference.openai.ChatCompletion.class);
        roots.add(dev.engram.inference.openai.ChatCompletionRequest.class);
        roots.add(dev.engram.tasks.embeddings.EmbeddingsRequest.class);
        roots.add(dev.engram.tasks.embeddings.EmbeddingList.class);
        Type[] all = roots.toArray(Type[]::new);
        assertThat(WireTypes.reachable(all))
                .contains(
                        BatchSubmitRequest.class,
                        BatchStatus.class,
                        StorageObjectEvent.class,
                        ResultLine.class,
                        ErrorBody.class);
        assertThat(WireTypes.unregistered(all)).isEmpty();
    }
}
