package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.SchemaValidator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against the function's /v1 routes: chat whole, streamed and structured. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class OpenAiSdkTest {
    @TestHTTPResource("/v1")
    URL v1;

    OpenAIClient client;

    @BeforeEach
    void connect() {
        client = OpenAIOkHttpClient.builder()
                .baseUrl(v1.toString())
                .apiKey("unused")
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static ChatCompletionCreateParams.Builder chat(String text, long maxTokens) {
        return ChatCompletionCreateParams.builder()
                .model("stories260K")
                .addUserMessage(text)
                .maxCompletionTokens(maxTokens);
    }

    @Test
    void plainChatIsWhatGenerateAnswers() {
        ChatCompletion completion = client.chat()
                .completions()
                .create(chat("Once upon a time", 24).temperature(0).build());
        String generated = GenerateSamplingTest.generate("prompt", "Once upon a time", "maxTokens", 24)
                .getString("text");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains(generated);
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(24);
        completion.validate();
    }

    @Test
    void streamedChatAddsUpToTheWholeAnswer() {
        ChatCompletionCreateParams params =
                chat("Once upon a time", 24).temperature(0).build();
        String whole = client.chat()
                .completions()
                .create(params)
                .choices()
                .getFirst()
                .message()
                .content()
                .orElseThrow();
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream =
                client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(streamed::append));
            });
        }
        assertThat(streamed.toString()).isEqualTo(whole).isNotEmpty();
    }

    @Test
    void structuredChatWithAJsonSchema() {
        String schema = StructuredOutputTest.PERSON;
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder body = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) StructuredOutputTest.schema(schema);
        fields.forEach((key, value) -> body.putAdditionalProperty(key, JsonValue.from(value)));
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
                        .name("person")
                        .schema(body.build())
                        .strict(true)
                        .build())
                .build();
        for (long seed = 1; seed <= 3; seed++) {
            ChatCompletion completion = client.chat()
                    .completions()
                    .create(chat("Tell me about Tom", 150)
                            .seed(seed)
                            .responseFormat(format)
                            .build());
            String content = completion.choices().getFirst().message().content().orElseThrow();
            assertThat(completion.choices().getFirst().finishReason())
                    .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            assertThat(SchemaValidator.errors(schema, content)).as(content).isEmpty();
        }
    }

    /** What the SDK derives a strict schema from (its own generator: required, additionalProperties false, enums). */
    public static class Weather {
        public Sky sky;
        public boolean windy;
        public Sky yesterday;
    }

    public enum Sky {
        SUNNY,
        CLOUDY,
        RAINY
    }

    @Test
    void structuredChatFromAJavaClass() {
        StructuredChatCompletionCreateParams<Weather> params = chat("The weather today", 120)
                .seed(3)
                .responseFormat(Weather.class)
                .build();
        StructuredChatCompletion<Weather> completion =
                client.chat().completions().create(params);
        Weather weather = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(weather.sky).isNotNull();
        assertThat(weather.yesterday).isNotNull();
    }
}
