package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.engram.inference.models.Models;
import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Readiness reports the model: up with state "ready" once it is loaded. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GenerateHealthTest {
    @Inject
    Models models;

    @Test
    void readyOnceTheModelIsLoaded() {
        models.get(); // waits for the background load
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", is("UP"))
                .body("checks.name", hasItem("model"))
                .body("checks.find { it.name == 'model' }.data.state", is("ready"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        // Start-up is done once the model load has ended; Redis is optional here, so readiness does not ask it.
        given().get("/q/health/started")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'model-load' }.data.state", is("ready"))
                // the function warmed the model up (engram.inference.warm-up-tokens) before it counted as loaded
                .body("checks.find { it.name == 'model-load' }.data.warmUpMillis", greaterThanOrEqualTo(0));
        given().get("/q/health/ready")
                .then()
                .body("checks.find { it.name == 'redis' }.status", is("UP"))
                .body("checks.find { it.name == 'redis' }.data.required", is(false));
    }
}
