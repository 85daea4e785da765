package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.engram.memory.embedding.Embedder;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/embeddings} through the official OpenAI Java SDK: the vectors long-term memory
 * stores, as floats and as base64, one input or many; bad input in OpenAI's error shape.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class EmbeddingsTest {
    @TestHTTPResource("/v1")
    URL v1;

    @Inject
    Embedder embedder;

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

    @Test
    void theSdkGetsTheVectorsMemoryStores() {
        List<String> texts = List.of("The gate code is 4711.", "Lily's dog is called Max.");
        for (EmbeddingCreateParams.EncodingFormat format :
                List.of(EmbeddingCreateParams.EncodingFormat.FLOAT, EmbeddingCreateParams.EncodingFormat.BASE64)) {
            CreateEmbeddingResponse response = client.embeddings()
                    .create(EmbeddingCreateParams.builder()
                            .model("e5-small-v2-q")
                            .inputOfArrayOfStrings(texts)
                            .encodingFormat(format)
                            .build());
            response.validate();
            assertThat(response.data()).hasSize(2);
            assertThat(response.model()).isEqualTo("e5-small-v2-q");
            assertThat(response.usage().promptTokens())
                    .isGreaterThan(10)
                    .isEqualTo(response.usage().totalTokens());
            for (int i = 0; i < texts.size(); i++) {
                assertThat(response.data().get(i).index()).isEqualTo(i);
                List<Float> vector = response.data().get(i).embedding();
                float[] stored = embedder.embed(texts.get(i));
                assertThat(vector).hasSize(384);
                for (int d = 0; d < stored.length; d++) {
                    assertThat(vector.get(d)).as("%s, dimension %d", format, d).isCloseTo(stored[d], within(1e-6f));
                }
            }
        }
        CreateEmbeddingResponse single = client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model("e5-small-v2-q")
                        .input("Lily's dog is called Max.")
                        .build());
        double dot = 0;
        float[] stored = embedder.embed("Lily's dog is called Max.");
        for (int d = 0; d < stored.length; d++) {
            dot += single.data().getFirst().embedding().get(d) * stored[d];
        }
        assertThat(dot).isCloseTo(1.0, within(1e-5));
    }

    static JsonPath refused(Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/embeddings")
                .then()
                .statusCode(status)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    @Test
    void badInputIsRefusedInOpenAisShape() {
        assertThat(refused(Map.of("input", List.of(1, 2, 3)), 400).getString("error.message"))
                .contains("token ids");
        assertThat(refused(Map.of("input", List.of(List.of(1, 2))), 400).getString("error.message"))
                .contains("token ids");
        assertThat(refused(Map.of("input", " \n"), 400).getString("error.code")).isEqualTo("empty_text");
        assertThat(refused(Map.of("input", List.of()), 400).getString("error.code"))
                .isEqualTo("out_of_range");
        assertThat(refused(Map.of("input", "x", "model", "text-embedding-3-small"), 404)
                        .getString("error.code"))
                .isEqualTo("model_not_found");
        assertThat(refused(Map.of("input", "x", "encoding_format", "int8"), 400).getString("error.message"))
                .contains("encoding_format");
        assertThat(refused(Map.of("input", "x", "dimensions", 256), 400).getString("error.message"))
                .contains("384");
        assertThat(refused(Map.of("input", "x", "inptu", 1), 400).getString("error.type"))
                .isEqualTo("invalid_request_error");
        assertThat(refused(Map.of("model", "e5-small-v2-q"), 400).getString("error.message"))
                .contains("'input'");
        given().contentType(ContentType.JSON)
                .body("{\"input\": ")
                .post("/v1/embeddings")
                .then()
                .statusCode(400);
    }
}
