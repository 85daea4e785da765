package dev.engram.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.errors.ErrorBody;
import dev.engram.inference.openai.ChatCompletion;
import dev.engram.inference.openai.ChatCompletionChunk;
import dev.engram.inference.openai.ChatCompletionRequest;
import dev.engram.inference.openai.ModelList;
import dev.engram.inference.openai.OpenAiError;
import dev.engram.tasks.classify.ClassifyRequest;
import dev.engram.tasks.classify.ClassifyResponse;
import dev.engram.tasks.generate.GenerateRequest;
import dev.engram.tasks.generate.GenerateResponse;
import dev.engram.tasks.summarize.SummarizeRequest;
import dev.engram.tasks.summarize.SummarizeResponse;
import dev.engram.tasks.translate.TranslateRequest;
import dev.engram.tasks.translate.TranslateResponse;
import dev.engram.testing.WireTypes;
import java.lang.reflect.Type;
import org.junit.jupiter.api.Test;

/**
 * The native profile can only work if Jackson may reflect on every record it reads or writes. No
 * native build runs here (no GraalVM), so this checks in JVM mode what the native image would need.
 */
class WireTypesRegistrationTest {
    static final Type[] WIRE = {
        GenerateRequest.class, GenerateResponse.class, ClassifyRequest.class, ClassifyResponse.class,
        SummarizeRequest.class, SummarizeResponse.class, TranslateRequest.class, TranslateResponse.class,
        ErrorBody.class, ChatCompletionRequest.class, ChatCompletion.class, ChatCompletionChunk.class,
        ModelList.class, OpenAiError.class
    };

    @Test
    void everyRecordOnTheWireIsRegisteredForReflection() {
        assertThat(WireTypes.unregistered(WIRE)).isEmpty();
    }

    @Test
    void theWalkReachesNestedRecords() {
        // the check above means something only if the walk follows components, lists and arrays
        assertThat(WireTypes.reachable(WIRE))
                .contains(
                        Usage.class,
                        Timings.class,
                        dev.engram.tasks.classify.ClassifyLabel.class,
                        dev.engram.inference.openai.ChatMessage.class);
    }
}
