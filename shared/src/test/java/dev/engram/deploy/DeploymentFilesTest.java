package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment files under infra/ cannot be deployed from here (no cluster, no cloud account): this
 * checks that each parses and agrees with the code — function modules and names, the HTTP port, the
 * health paths, the environment variables the functions read, the concurrency rule, the Redis user.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path INFRA = ROOT.resolve("infra");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    static final String READY = "/q/health/ready";
    static final String LIVE = "/q/health/live";
    static final String LAMBDA_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    static final Pattern FUNQ =
            Pattern.compile("@Funq(?:\\(\"([^\"]+)\"\\))?\\s+public\\s+[\\w<>?, .]+\\s+(\\w+)\\s*\\(");

    /**
     * Function module (directory under functions/) → the function names its @Funq methods serve. The
     * one-process application (functions/all) has no code of its own and is not deployed per function.
     */
    static Map<String, Set<String>> functions() throws IOException {
        Map<String, Set<String>> modules = new HashMap<>();
        try (Stream<Path> dirs = Files.list(ROOT.resolve("functions"))) {
            for (Path dir : dirs.filter(d -> Files.isDirectory(d.resolve("src/main/java")))
                    .toList()) {
                Set<String> names = new TreeSet<>();
                for (String source : sources(dir)) {
                    Matcher m = FUNQ.matcher(source);
                    while (m.find()) {
                        names.add(m.group(1) != null ? m.group(1) : m.group(2));
                    }
                }
                modules.put(dir.getFileName().toString(), names);
            }
        }
        return modules;
    }

    /**
     * The CloudEvent types a module's functions answer: the name, or its Funqy mapping's trigger in the
     * configuration of the Knative build (src/main/resources-knative) or in application.properties.
     */
    static Set<String> eventTypes(String module, Set<String> functions) throws IOException {
        Path dir = ROOT.resolve("functions").resolve(module).resolve("src/main");
        Path knative = dir.resolve("resources-knative/META-INF/microprofile-config.properties");
        String props = Files.readString(dir.resolve("resources/application.properties"))
                + (Files.exists(knative) ? "\n" + Files.readString(knative) : "");
        Set<String> types = new TreeSet<>();
        for (String function : functions) {
            Matcher m = Pattern.compile("(?m)^quarkus\\.funqy\\.knative-events\\.mapping\\." + Pattern.quote(function)
                            + "\\.trigger=(\\S+)$")
                    .matcher(props);
            types.add(m.find() ? m.group(1) : function);
        }
        return types;
    }

    static List<String> sources(Path module) throws IOException {
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            List<String> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                out.add(Files.readString(f));
            }
            return out;
        }
    }

    /** A module that loads a language model: one generation at a time per instance. */
    static boolean runsModel(String module) throws IOException {
        return sources(ROOT.resolve("functions").resolve(module)).stream()
                .anyMatch(s -> s.contains("import dev.engram.inference"));
    }

    /** Environment variables the functions read: the configuration page's table in env form, and ${VAR} in the properties. */
    static Set<String> knownEnv() throws IOException {
        Set<String> known = new HashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/configuration.md"))) {
            Matcher m =
                    Pattern.compile("^\\| `((?:engram|quarkus)\\.[a-z0-9.-]+)`").matcher(line);
            if (m.find()) {
                known.add(m.group(1).toUpperCase().replaceAll("[.-]", "_"));
            }
        }
        for (String module : functions().keySet()) {
            String props = Files.readString(
                    ROOT.resolve("functions").resolve(module).resolve("src/main/resources/application.properties"));
            Matcher m = Pattern.compile("\\$\\{([A-Z_]+)").matcher(props);
            while (m.find()) {
                known.add(m.group(1));
            }
        }
        known.addAll(Set.of("JAVA_TOOL_OPTIONS", "DISABLE_SIGNAL_HANDLERS")); // JVM and Lambda runtime
        return known;
    }

    static int httpPort(String module) throws IOException {
        String props = Files.readString(
                ROOT.resolve("functions").resolve(module).resolve("src/main/resources/application.properties"));
        Matcher m =
                Pattern.compile("(?m)^quarkus\\.http\\.port=\\$\\{PORT:(\\d+)}").matcher(props);
        assertThat(m.find()).as("%s sets quarkus.http.port=${PORT:n}", module).isTrue();
        assertThat(props)
                .as("health stays at /q/health")
                .doesNotContain("non-application-root-path")
                .doesNotContain("smallrye-health.root-path");
        return Integer.parseInt(m.group(1));
    }

    static List<JsonNode> yaml(String path) throws IOException {
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class).readValues(INFRA.resolve(path).toFile())) {
            List<JsonNode> docs = new ArrayList<>();
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    docs.add(node);
                }
            }
            return docs;
        }
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    @Test
    void everyManifestParses() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(INFRA)) {
            files = walk.filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> p.toString().matches(".*\\.(ya?ml|json)$"))
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        for (Path f : files) {
            if (f.toString().endsWith(".json")) {
                assertThat(JSON.readTree(f.toFile())).as(f.toString()).isNotNull();
            } else {
                assertThat(yaml(INFRA.relativize(f).toString()))
                        .as(f.toString())
                        .isNotEmpty();
            }
        }
    }

    @Test
    void knativeHasAScaleToZeroServicePerFunctionModule() throws IOException {
        Map<String, Set<String>> functions = functions();
        List<JsonNode> services = ofKind(yaml("knative/services.yaml"), "Service");
        Set<String> named = new TreeSet<>();
        for (JsonNode service : services) {
            String module = service.at("/metadata/name").asText().replaceFirst("^engram-", "");
            named.add(module);
            assertThat(functions).as("a function module for %s", module).containsKey(module);
            JsonNode template = service.at("/spec/template");
            assertThat(template.at("/metadata/annotations")
                            .path("autoscaling.knative.dev/min-scale")
                            .asText())
                    .isEqualTo("0");
            int concurrency = template.at("/spec/containerConcurrency").asInt();
            if (runsModel(module)) {
                assertThat(concurrency)
                        .as("%s runs one generation at a time", module)
                        .isEqualTo(1);
            } else {
                assertThat(concurrency).isPositive();
            }
            checkContainer(module, template.at("/spec/containers/0"));
        }
        assertThat(named).isEqualTo(functions.keySet());
    }

    static void checkContainer(String module, JsonNode container) throws IOException {
        assertThat(container.path("image").asText()).contains("engram-" + module);
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(httpPort(module));
        JsonNode ready =
                container.has("readinessProbe") ? container.get("readinessProbe") : container.get("startupProbe");
        assertThat(ready.at("/httpGet/path").asText()).isEqualTo(READY);
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo(LIVE);
        assertThat(container.at("/resources/requests/memory").isMissingNode()
                        && container.at("/resources/limits/memory").isMissingNode())
                .as("%s declares its memory", module)
                .isFalse();
        Set<String> env = new TreeSet<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        assertThat(env).contains("ENGRAM_REDIS_URL");
        assertThat(knownEnv()).containsAll(env);
    }

    @Test
    void theKnativeMemoryWorkerIsOneGeneratePodThatStaysUpWithTheWorkerOn() throws IOException {
        JsonNode worker = ofKind(yaml("knative/memory-worker.yaml"), "Service").getFirst();
        JsonNode template = worker.at("/spec/template");
        assertThat(template.at("/metadata/annotations")
                        .path("autoscaling.knative.dev/min-scale")
                        .asText())
                .isEqualTo("1");
        JsonNode container = template.at("/spec/containers/0");
        checkContainer("generate", container);
        Map<String, String> env = new HashMap<>();
        container
                .path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertThat(env).containsEntry("ENGRAM_MEMORY_PROMOTION_WORKER", "true").containsKey("ENGRAM_MODEL_PATH");
    }

    @Test
    void eventTypesRouteToTheModuleServingThem() throws IOException {
        List<JsonNode> docs = yaml("knative/eventing.yaml");
        assertThat(ofKind(docs, "Broker")).hasSize(1);
        String broker = ofKind(docs, "Broker").get(0).at("/metadata/name").asText();
        Map<String, Set<String>> functions = functions();
        Set<String> routed = new TreeSet<>();
        for (JsonNode trigger : ofKind(docs, "Trigger")) {
            assertThat(trigger.at("/spec/broker").asText()).isEqualTo(broker);
            String type = trigger.at("/spec/filter/attributes/type").asText();
            String module = trigger.at("/spec/subscriber/ref/name").asText().replaceFirst("^engram-", "");
            assertThat(eventTypes(module, functions.get(module)))
                    .as("module %s serves events of type %s", module, type)
                    .contains(type);
            routed.add(type);
        }
        Set<String> all = new TreeSet<>();
        for (var module : functions.entrySet()) {
            all.addAll(eventTypes(module.getKey(), module.getValue()));
        }
        // Operators call tenant-erase, memory-reembed, memory-promote and memory-promotion-failed over HTTP with
        // their key (or a schedule calls memory-promote); no broker event should reach them.
        all.remove("tenant-erase");
        all.remove("memory-reembed");
        all.remove("memory-promote");
        all.remove("memory-promotion-failed");
        assertThat(routed).isEqualTo(all);
    }

    @Test
    void theGpuVariantPointsGenerateAtTheServer() throws IOException {
        List<JsonNode> docs = yaml("knative/gpu.yaml");
        JsonNode server = ofKind(docs, "Deployment").get(0);
        assertThat(server.at("/spec/template/spec/containers/0/resources/limits")
                        .path("nvidia.com/gpu")
                        .asInt())
                .isEqualTo(1);
        JsonNode service = ofKind(docs, "Service").stream()
                .filter(d -> d.path("apiVersion").asText().equals("v1"))
                .findFirst()
                .orElseThrow();
        JsonNode fn = ofKind(docs, "Service").stream()
                .filter(d -> d.path("apiVersion").asText().startsWith("serving.knative.dev"))
                .findFirst()
                .orElseThrow();
        Map<String, String> env = new HashMap<>();
        fn.at("/spec/template/spec/containers/0/env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertThat(env).containsEntry("ENGRAM_INFERENCE_BACKEND", "remote");
        assertThat(env.get("ENGRAM_INFERENCE_REMOTE_BASE_URL"))
                .startsWith("http://" + service.at("/metadata/name").asText() + ".")
                .endsWith(":" + service.at("/spec/ports/0/port").asInt() + "/v1");
        assertThat(knownEnv()).containsAll(env.keySet());
        assertThat(fn.at("/spec/template/spec/containers/0/readinessProbe/httpGet/path")
                        .asText())
                .isEqualTo(READY);
    }

    @Test
    void samDeploysEveryFunctionWithTheFunqyHandler() throws IOException {
        JsonNode template = yaml("aws/template.yaml").get(0);
        JsonNode globals = template.at("/Globals/Function");
        assertThat(globals.path("Handler").asText()).isEqualTo(LAMBDA_HANDLER);
        Map<String, Set<String>> functions = functions();
        Set<String> known = knownEnv();
        Set<String> deployed = new TreeSet<>();
        boolean sqsWithPartialFailures = false;
        for (var it = template.path("Resources").properties().iterator(); it.hasNext(); ) {
            JsonNode resource = it.next().getValue();
            if (!resource.path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            JsonNode props = resource.path("Properties");
            Matcher m = Pattern.compile("^\\.\\./\\.\\./functions/([a-z-]+)/target/function\\.zip$")
                    .matcher(props.path("CodeUri").asText());
            assertThat(m.matches())
                    .as("CodeUri %s", props.path("CodeUri").asText())
                    .isTrue();
            String module = m.group(1);
            assertThat(functions).containsKey(module);
            assertThat(props.path("MemorySize").asInt()).isBetween(128, 10240);
            Set<String> env = new TreeSet<>();
            props.at("/Environment/Variables").fieldNames().forEachRemaining(env::add);
            globals.at("/Environment/Variables").fieldNames().forEachRemaining(env::add);
            assertThat(known).containsAll(env);
            String export =
                    props.at("/Environment/Variables/QUARKUS_FUNQY_EXPORT").asText("");
            if (functions.get(module).size() > 1) {
                assertThat(functions.get(module))
                        .as("%s exports one of its functions", module)
                        .contains(export);
                deployed.add(export);
            } else {
                deployed.addAll(functions.get(module));
            }
            for (JsonNode event : props.path("Events")) {
                if (event.path("Type").asText().equals("SQS")) {
                    sqsWithPartialFailures = event.at("/Properties/FunctionResponseTypes")
                            .toString()
                            .contains("ReportBatchItemFailures");
                }
            }
        }
        Set<String> all = new TreeSet<>();
        functions.values().forEach(all::addAll);
        assertThat(deployed).isEqualTo(all);
        assertThat(sqsWithPartialFailures).isTrue();
    }

    @Test
    void cloudRunServesGenerateLikeKnative() throws IOException {
        JsonNode service = yaml("gcp/cloudrun-generate.yaml").get(0);
        assertThat(service.at("/spec/template/spec/containerConcurrency").asInt())
                .isEqualTo(1);
        checkContainer("generate", service.at("/spec/template/spec/containers/0"));
    }

    @Test
    void theJvmImageAddsTheVectorModuleAndUsesItsAotCache() throws IOException {
        String docker = Files.readString(INFRA.resolve("docker/Dockerfile.jvm"));
        assertThat(docker)
                .contains(
                        "--add-modules jdk.incubator.vector",
                        "-XX:AOTCacheOutput=/app/app.aot",
                        "-XX:AOTCache=/app/app.aot",
                        "EXPOSE " + httpPort("generate"));
    }

    @Test
    void theLocalRunScriptLogsInAsARedisUserTheConfigDefines() throws IOException {
        String conf = Files.readString(INFRA.resolve("redis/redis.conf"));
        String run = Files.readString(INFRA.resolve("local/run.sh"));
        assertThat(conf)
                .containsPattern("(?m)^user default off$")
                .containsPattern("(?m)^appendonly yes$")
                .containsPattern("(?m)^appendfsync (always|everysec)$");
        Matcher user = Pattern.compile("ENGRAM_REDIS_USER:-([^}]+)}").matcher(run);
        Matcher password = Pattern.compile("ENGRAM_REDIS_PASSWORD:-([^}]+)}").matcher(run);
        assertThat(user.find() && password.find()).isTrue();
        Matcher acl = Pattern.compile("(?m)^user " + Pattern.quote(user.group(1)) + " on >(\\S+) (.*)$")
                .matcher(conf);
        assertThat(acl.find()).as("redis.conf defines user %s", user.group(1)).isTrue();
        assertThat(acl.group(1)).isEqualTo(password.group(1));
        assertThat(acl.group(2)).contains("~engram:*").contains("-@dangerous");
    }
}
