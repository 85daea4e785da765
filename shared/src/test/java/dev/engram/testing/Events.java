package dev.engram.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real CloudEvents (binary and structured HTTP modes) and SQS batch events, for the binding tests. */
public final class Events {
    private Events() {}

    /** Binary mode: attributes in ce-* headers, the data as the JSON body. */
    public static Response binary(String type, String id, String jsonData) {
        return binary(type, id, jsonData, Map.of());
    }

    /** Binary mode with more headers (extension attributes as ce-*, an Authorization header). */
    public static Response binary(String type, String id, String jsonData, Map<String, String> headers) {
        return given().header("ce-specversion", "1.0")
                .header("ce-id", id)
                .header("ce-type", type)
                .header("ce-source", "/engram/tests")
                .headers(headers)
                .contentType("application/json")
                .body(jsonData)
                .when()
                .post("/");
    }

    /** Structured mode: the whole event as one application/cloudevents+json document. */
    public static Response structured(String type, String id, Object data) {
        return structured(type, id, data, Map.of());
    }

    /** Structured mode with extension attributes. */
    public static Response structured(String type, String id, Object data, Map<String, Object> extensions) {
        Map<String, Object> event = new LinkedHashMap<>(extensions);
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("type", type);
        event.put("source", "/engram/tests");
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return given().contentType("application/cloudevents+json")
                .body(event)
                .when()
                .post("/");
    }

    /** An SQS event as Lambda delivers it: one record per (messageId, body). */
    public static Map<String, Object> sqs(Map<String, String> bodies) {
        List<Map<String, Object>> records = new ArrayList<>();
        bodies.forEach((messageId, body) -> {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("messageId", messageId);
            record.put("receiptHandle", "handle-" + messageId);
            record.put("body", body);
            record.put("attributes", Map.of("ApproximateReceiveCount", "1", "SentTimestamp", "1795900000000"));
            record.put("messageAttributes", Map.of());
            record.put("md5OfBody", "");
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", "arn:aws:sqs:eu-west-1:123456789012:engram-requests");
            record.put("awsRegion", "eu-west-1");
            records.add(record);
        });
        return Map.of("Records", records);
    }
}
