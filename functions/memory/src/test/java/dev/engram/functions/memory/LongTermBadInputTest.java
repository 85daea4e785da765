package dev.engram.functions.memory;

import static dev.engram.functions.memory.Sessions.post;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input to remember / recall / forget is a 400 with a JSON body naming the problem, never a 5xx. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class LongTermBadInputTest {

    @Test
    void emptyOrBlankText() {
        post("remember", "{\"text\":\"\"}")
                .statusCode(400)
                .contentType("application/json")
                .body("error", is("empty_text"));
        post("remember", "{\"text\":\"   \"}").statusCode(400).body("error", is("empty_text"));
        post("remember", "{}")
                .statusCode(400)
                .body("error", is("missing_field"))
                .body("message", containsString("text"));
        post("recall", "{\"query\":\"\"}").statusCode(400).body("error", is("empty_text"));
    }

    @Test
    void textOverTheLimit() {
        post("remember", "{\"text\":\"" + "a".repeat(4001) + "\"}")
                .statusCode(400)
                .body("error", is("too_long"))
                .body("message", containsString("4000"));
        post("recall", "{\"query\":\"" + "a".repeat(4001) + "\"}")
                .statusCode(400)
                .body("error", is("too_long"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "51", "100000"})
    void kOutOfRange(String k) {
        post("recall", "{\"query\":\"tea\",\"k\":" + k + "}")
                .statusCode(400)
                .body("error", is("out_of_range"))
                .body("message", containsString("'k' must be between 1 and 50"));
    }

    @Test
    void minScoreOutOfRangeAndWrongTypes() {
        post("recall", "{\"query\":\"tea\",\"minScore\":1.5}").statusCode(400).body("error", is("out_of_range"));
        post("recall", "{\"query\":\"tea\",\"k\":\"5\"}").statusCode(400).body("error", is("invalid_json"));
        post("recall", "{\"query\":\"tea\",\"k\":2.5}").statusCode(400).body("error", is("invalid_json"));
        post("remember", "{\"text\":\"tea\",\"tags\":\"drinks\"}")
                .statusCode(400)
                .body("error", is("invalid_json"));
    }

    @Test
    void unknownFilterAndUnknownFields() {
        post("recall", "{\"query\":\"tea\",\"filters\":{\"colour\":\"red\"}}")
                .statusCode(400)
                .body("error", is("invalid_json"))
                .body("message", containsString("colour"));
        post("recall", "{\"query\":\"tea\",\"filter\":{}}").statusCode(400).body("error", is("invalid_json"));
        post("remember", "{\"text\":\"tea\",\"source\":\"document\"}")
                .statusCode(400)
                .body("error", is("invalid_json"));
    }

    @Test
    void badFilterValuesTagsAndIds() {
        post("recall", "{\"query\":\"tea\",\"filters\":{\"from\":10,\"to\":5}}")
                .statusCode(400)
                .body("error", is("invalid_filter"));
        post("recall", "{\"query\":\"tea\",\"filters\":{\"userId\":\"a b\"}}")
                .statusCode(400)
                .body("error", is("invalid_user_id"));
        post("remember", "{\"text\":\"tea\",\"tags\":[\"a,b\"]}")
                .statusCode(400)
                .body("error", is("invalid_tag"));
        post("remember", "{\"text\":\"tea\",\"tags\":[\"\"]}").statusCode(400).body("error", is("invalid_tag"));
        post("remember", "{\"text\":\"tea\",\"sessionId\":\"{x}\"}")
                .statusCode(400)
                .body("error", is("invalid_session_id"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"{}", "{\"id\":\"a\",\"userId\":\"b\"}", "{\"all\":false}", "{\"all\":true,\"sessionId\":\"s\"}"
            })
    void forgetNeedsExactlyOneScope(String body) {
        post("forget", body).statusCode(400).body("error", is("invalid_forget"));
    }

    @Test
    void forgetWithABadId() {
        post("forget", "{\"id\":\"\"}").statusCode(400).body("error", is("invalid_id"));
        post("forget", "{\"userId\":\"x/y\"}").statusCode(400).body("error", is("invalid_user_id"));
    }
}
