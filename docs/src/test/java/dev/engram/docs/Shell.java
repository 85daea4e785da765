package dev.engram.docs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the bash block of a checked example: the small part of shell a reader pastes (line continuations,
 * comments, quoting, {@code $VARIABLES}, one kind of here-document) turned into {@link Command}s.
 * Anything else is refused, so a checked example stays something the test can run exactly.
 */
final class Shell {
    private static final Pattern HEREDOC = Pattern.compile("cat > (\\S+) <<'?EOF'?");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\{(\\w+)}|(\\w+))");

    private Shell() {}

    static List<Command> parse(String block, Map<String, String> variables) {
        List<Command> commands = new ArrayList<>();
        List<String> lines = block.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher heredoc = HEREDOC.matcher(line);
            if (heredoc.matches()) {
                StringBuilder content = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).equals("EOF"); i++) {
                    content.append(lines.get(i)).append('\n');
                }
                if (i == lines.size()) {
                    throw new IllegalArgumentException("a here-document without its closing EOF line");
                }
                commands.add(new Command.WriteFile(heredoc.group(1), content.toString()));
                continue;
            }
            StringBuilder logical = new StringBuilder(line);
            while (logical.toString().endsWith("\\") && i + 1 < lines.size()) {
                logical.setLength(logical.length() - 1);
                logical.append(' ').append(lines.get(++i).strip());
            }
            commands.add(command(words(logical.toString(), variables)));
        }
        return commands;
    }

    private static Command command(List<String> words) {
        String name = words.getFirst();
        if (name.equals("cat") && words.size() == 2) {
            return new Command.ReadFile(words.get(1));
        }
        if (name.equals("mkdir") && words.size() == 3 && words.get(1).equals("-p")) {
            return new Command.MakeDir(words.get(2));
        }
        if (!name.equals("curl")) {
            throw new IllegalArgumentException(
                    "only curl, mkdir -p DIR, cat FILE and cat > FILE <<'EOF' run in a checked example, not '" + name
                            + "'");
        }
        String method = null;
        String url = null;
        String body = null;
        boolean include = false;
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "-H" -> {
                    String header = words.get(++i);
                    int colon = header.indexOf(':');
                    headers.put(
                            header.substring(0, colon).strip(),
                            header.substring(colon + 1).strip());
                }
                case "-d", "--data", "--data-raw" -> body = words.get(++i);
                case "-X" -> method = words.get(++i);
                default -> {
                    if (word.matches("-[sSNi]+")) {
                        include |= word.contains("i");
                    } else if (!word.startsWith("-") && url == null) {
                        url = word;
                    } else {
                        throw new IllegalArgumentException(
                                "curl option '" + word + "' is not supported in a checked example");
                    }
                }
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("curl without a URL");
        }
        String path = url.replaceFirst("^(https?://)?[^/]*", "");
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            headers.put("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
        }
        return new Command.Curl(
                method != null ? method : body != null ? "POST" : "GET",
                path.isEmpty() ? "/" : path,
                headers,
                body,
                include);
    }

    /** Splits a command line into words as bash would: '…' literal, "…" and bare words with $VARIABLES. */
    static List<String> words(String line, Map<String, String> variables) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' in: " + line);
                }
                word.append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                int end = i + 1;
                StringBuilder quoted = new StringBuilder();
                for (; end < line.length() && line.charAt(end) != '"'; end++) {
                    char q = line.charAt(end);
                    if (q == '\\' && end + 1 < line.length() && "\"\\$".indexOf(line.charAt(end + 1)) >= 0) {
                        q = line.charAt(++end);
                    }
                    quoted.append(q);
                }
                if (end >= line.length()) {
                    throw new IllegalArgumentException("unclosed \" in: " + line);
                }
                word.append(expand(quoted.toString(), variables));
                i = end;
            } else {
                int end = i;
                while (end < line.length()
                        && !Character.isWhitespace(line.charAt(end))
                        && line.charAt(end) != '\''
                        && line.charAt(end) != '"') {
                    end++;
                }
                word.append(expand(line.substring(i, end), variables));
                i = end - 1;
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static String expand(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : m.group(3);
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalArgumentException("$" + name + " is not set for checked examples");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }
}
