package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prometheus text at /q/metrics, read the way a scraper reads it: samples by name and labels. */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    private PrometheusText(String text) {
        this.text = text;
    }

    static PrometheusText scrape() {
        return new PrometheusText(
                given().get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /** The text of the function at {@code baseUri}. */
    static PrometheusText scrape(java.net.URI baseUri) {
        return new PrometheusText(given().baseUri(baseUri.toString())
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /** The sum of the samples named {@code name} whose labels include {@code labels} (0 when there are none). */
    double value(String name, Map<String, String> labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            // OpenMetrics exemplars (" # {trace_id=...} 1.0 ...") follow the value.
            int exemplar = line.indexOf(" # ");
            Matcher sample = SAMPLE.matcher((exemplar < 0 ? line : line.substring(0, exemplar)).strip());
            if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new java.util.HashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                found.put(label.group(1), label.group(2));
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(sample.group(3));
            }
        }
        return sum;
    }

    double value(String name, String... labels) {
        Map<String, String> wanted = new java.util.HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return value(name, wanted);
    }

    boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    @Override
    public String toString() {
        return text;
    }
}
