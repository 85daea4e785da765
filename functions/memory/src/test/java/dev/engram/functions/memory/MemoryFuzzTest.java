package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;

import dev.engram.memory.session.SessionStore;
import dev.engram.tenant.Tenant;
import dev.engram.testing.BadInputRun;
import dev.engram.testing.BadInputRun.ErrorShape;
import dev.engram.testing.BadInputs;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bad-input corpus ({@link BadInputs}) against every memory endpoint: only 4xx, never a 5xx, still
 * live afterwards. Each row is an endpoint, its valid example and the fields the generator must treat
 * as lenient (minScore: -1 is a legal similarity).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MemoryFuzzTest {
    @Inject
    SessionStore store;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            session-get    | {"sessionId": "fuzz-memory"}                                                                          | text
            session-delete | {"sessionId": "fuzz-absent"}                                                                          | text
            remember       | {"text": "The fuzzer likes tea.", "tags": ["fuzz"], "userId": "fuzz-user", "sessionId": "fuzz-memory"} | text
            recall         | {"query": "What does the fuzzer like?", "k": 3, "minScore": 0.1, "filters": {"userId": "fuzz-user"}}   | query
            forget         | {"userId": "fuzz-nobody"}                                                                             | text
            """)
    void refusesEveryBadBody(String endpoint, String example, String freeText) {
        store.append(Tenant.DEFAULT.id(), "fuzz-memory", Sessions.pair("hello", "there"));
        given().contentType("application/json")
                .body(example)
                .post("/" + endpoint)
                .then()
                .statusCode(200);
        BadInputRun.send(
                "/" + endpoint,
                BadInputs.from(example).freeText(freeText).lenient("minScore").cases(),
                ErrorShape.ENGRAM);
    }
}
