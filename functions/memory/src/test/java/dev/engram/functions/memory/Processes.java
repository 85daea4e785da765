package dev.engram.functions.memory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the packaged functions are, for the tests that start them as real processes. */
final class Processes {
    /** Every process these tests start runs without authentication (the property is harmless where auth does not exist). */
    static final List<String> JVM_OPTIONS = List.of("-Dengram.auth.enabled=false", "-Xmx512m");

    private Processes() {}

    static Path memoryJar() {
        return jar("engram.test.app", "target/quarkus-app/quarkus-run.jar");
    }

    /** functions/generate is built before functions/memory in the reactor; its packaged jar is beside this module. */
    static Path generateJar() {
        return jar("engram.test.generate-app", "../generate/target/quarkus-app/quarkus-run.jar");
    }

    private static Path jar(String property, String fallback) {
        Path jar =
                Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged function at " + jar
                    + ": package it first (./mvnw verify -pl functions/generate,functions/memory -am)");
        }
        return jar;
    }
}
