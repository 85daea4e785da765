package dev.engram.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every {@code engram.*} property the code reads (every method of every
 * {@code @ConfigMapping} interface in shared, and of the groups they hold), and no property the code does not read.
 */
class ConfigurationDocsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Pattern ROW = Pattern.compile("^\\| `engram\\.");

    @Test
    void theConfigurationPageListsExactlyThePropertiesTheCodeReads() throws Exception {
        Set<String> code = new TreeSet<>();
        for (Class<?> mapping : mappings()) {
            properties(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, code);
        }
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("docs/configuration.md"))) {
            if (ROW.matcher(line).find() && !line.contains("Maven property")) {
                documented.addAll(rowKeys(line.split("\\|")[1]));
            }
        }
        assertThat(code).as("@ConfigMapping properties").hasSizeGreaterThan(50);
        assertThat(documented).as("rows of docs/configuration.md").containsExactlyInAnyOrderElementsOf(code);
    }

    /** The @ConfigMapping interfaces under shared/src/main/java. */
    static Set<Class<?>> mappings() throws IOException, ClassNotFoundException {
        Path sources = ROOT.resolve("shared/src/main/java");
        Set<Class<?>> found = new java.util.HashSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (Files.readString(file).contains("@ConfigMapping(")) {
                    String name = sources.relativize(file)
                            .toString()
                            .replace('/', '.')
                            .replaceAll("\\.java$", "");
                    found.add(Class.forName(name));
                }
            }
        }
        return found;
    }

    /** The property names of a mapping's methods, as SmallRye names them (kebab case, or @WithName). */
    static void properties(String prefix, Class<?> mapping, Set<String> into) {
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            if (method.getReturnType() == Map.class) {
                // engram.limits.tenant."<tenant>".*: one property per method of the map's value type
                Class<?> values =
                        (Class<?>) ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[1];
                for (Method value : values.getDeclaredMethods()) {
                    into.add(name + ".\"<tenant>\"." + kebab(value.getName()));
                }
            } else if (method.getReturnType().isInterface()
                    && method.getReturnType().getName().startsWith("dev.engram.")) {
                properties(name, method.getReturnType(), into); // a group: engram.batch.url.*
            } else {
                into.add(name);
            }
        }
    }

    /** The properties a row's first cell names: `a.b.c` and then `.d` for a.b.d. */
    static Set<String> rowKeys(String cell) {
        Set<String> keys = new TreeSet<>();
        Matcher quoted = Pattern.compile("`([^`]+)`").matcher(cell);
        String first = null;
        while (quoted.find()) {
            String key = quoted.group(1);
            if (first == null) {
                first = key;
                keys.add(key);
            } else if (key.startsWith(".")) {
                keys.add(first.substring(0, first.lastIndexOf('.')) + key);
            }
        }
        return keys;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
