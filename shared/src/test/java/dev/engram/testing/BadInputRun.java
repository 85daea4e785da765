package dev.engram.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a {@link BadInputs} corpus over real HTTP, byte for byte, and checks every answer: a 4xx with a
 * JSON error body naming the problem; a 2xx only for a case marked "may be valid"; never a 5xx.
 */
public final class BadInputRun {
    /** Where an error body keeps its code and message: Engram's {@code {error, message}} or OpenAI's {@code {error: {message, type}}}. */
    public enum ErrorShape {
        ENGRAM("error", "message"),
        OPENAI("error.type", "error.message");

        final String code;
        final String message;

        ErrorShape(String code, String message) {
            this.code = code;
            this.message = message;
        }
    }

    /** What one run saw: the cases sent, those refused, those a "may be valid" case got accepted for. */
    public record Result(String path, int sent, int refused, int accepted, List<String> failures) {
        @Override
        public String toString() {
            return path + ": " + sent + " bad bodies sent, " + refused + " refused with a 4xx, " + accepted
                    + " accepted (all marked may-be-valid), " + failures.size() + " wrong";
        }
    }

    private static final RestAssuredConfig RAW = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig()
                    .appendDefaultContentCharsetToContentTypeIfUndefined(false)
                    // send these bodies as the bytes they are, not through RestAssured's form/multipart encoders
                    .encodeContentTypeAs("application/x-www-form-urlencoded", ContentType.BINARY)
                    .encodeContentTypeAs("multipart/form-data", ContentType.BINARY)
                    .encodeContentTypeAs("application/xml", ContentType.BINARY)
                    .encodeContentTypeAs("text/plain", ContentType.BINARY));

    private BadInputRun() {}

    /** Sends every case to {@code path} of the application RestAssured points at, and asserts the answers. */
    public static Result send(String path, List<BadInputs.Case> cases, ErrorShape shape) {
        assertThat(cases).as("corpus size for " + path).hasSizeGreaterThanOrEqualTo(BadInputs.MIN_CASES);
        int refused = 0;
        int accepted = 0;
        List<String> failures = new ArrayList<>();
        for (BadInputs.Case c : cases) {
            Response response = given().config(RAW)
                    .contentType(c.contentType())
                    .body(c.body())
                    .post(path);
            int status = response.statusCode();
            String body = response.asString();
            String seen =
                    c.name() + " -> " + status + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
            if (status >= 200 && status < 300 && c.mayBeValid()) {
                accepted++;
            } else if (status >= 400 && status < 500) {
                String problem = errorBodyProblem(response, shape);
                if (problem == null) {
                    refused++;
                } else {
                    failures.add(seen + " (" + problem + ")");
                }
            } else {
                failures.add(seen);
            }
        }
        Result result = new Result(path, cases.size(), refused, accepted, failures);
        System.out.println("[bad-input corpus] " + result);
        assertThat(failures).as(result.toString()).isEmpty();
        given().get("/q/health/live").then().statusCode(200);
        assertThat(given().get("/q/health/live").jsonPath().getString("status")).isEqualTo("UP");
        return result;
    }

    private static String errorBodyProblem(Response response, ErrorShape shape) {
        String type = response.contentType();
        if (type == null || !type.startsWith("application/json")) {
            return "not JSON: " + type;
        }
        try {
            JsonPath json = response.jsonPath();
            String code = json.getString(shape.code);
            String message = json.getString(shape.message);
            if (code == null || code.isBlank() || message == null || message.isBlank()) {
                return "no error code or message";
            }
            return null;
        } catch (RuntimeException e) {
            return "unreadable JSON: " + e.getMessage();
        }
    }
}
