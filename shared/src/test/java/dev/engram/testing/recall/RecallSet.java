package dev.engram.testing.recall;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The project's labelled recall set ({@code dev/engram/memory/recall-set.txt} in the shared test
 * resources; its header explains the format): facts and the questions that paraphrase them, noise
 * memories no question asks about, questions nothing answers, and text pairs labelled for
 * deduplication.
 *
 * @param facts     key → text
 * @param questions each with the key of the fact that answers it
 * @param noise     stored, never the answer
 * @param none      questions nothing stored answers
 * @param pairs     deduplication pairs
 */
public record RecallSet(
        Map<String, String> facts, List<Question> questions, List<String> noise, List<String> none, List<Pair> pairs) {

    public static final String RESOURCE = "dev/engram/memory/recall-set.txt";

    /** A question and the key of its fact; {@code sharesWords}: it has a content word in common with the fact. */
    public record Question(String text, String fact, boolean sharesWords) {}

    /** {@code same}: one fact said twice; {@code diff}: different facts; {@code subtle}: different only in a number, a date, word order or an opposite. */
    public enum PairKind {
        same,
        diff,
        subtle
    }

    public record Pair(PairKind kind, String a, String b) {}

    public static RecallSet load() {
        try (InputStream in = RecallSet.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (engram-shared's test-jar)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RecallSet parse(String text) {
        Map<String, String> facts = new LinkedHashMap<>();
        List<String[]> asks = new ArrayList<>();
        List<String> noise = new ArrayList<>();
        List<String> none = new ArrayList<>();
        List<Pair> pairs = new ArrayList<>();
        int number = 0;
        for (String line : text.split("\n")) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" \\| ");
            String[] head = parts[0].strip().split(" ");
            switch (head[0]) {
                case "fact" -> {
                    if (facts.put(head[1], parts[1].strip()) != null) {
                        throw new IllegalArgumentException("line " + number + ": fact " + head[1] + " twice");
                    }
                }
                case "ask" -> asks.add(new String[] {head[1], parts[1].strip()});
                case "noise" -> noise.add(parts[1].strip());
                case "none" -> none.add(parts[1].strip());
                case "same", "diff", "subtle" ->
                    pairs.add(new Pair(PairKind.valueOf(head[0]), parts[1].strip(), parts[2].strip()));
                default -> throw new IllegalArgumentException("line " + number + ": unknown record '" + head[0] + "'");
            }
        }
        List<Question> questions = new ArrayList<>();
        for (String[] ask : asks) {
            String fact = facts.get(ask[0]);
            if (fact == null) {
                throw new IllegalArgumentException("a question asks about the unknown fact " + ask[0]);
            }
            questions.add(new Question(ask[1], ask[0], sharesAWord(ask[1], fact)));
        }
        return new RecallSet(facts, questions, noise, none, pairs);
    }

    /** Every stored text: the facts in order, then the noise. */
    public List<String> memories() {
        List<String> all = new ArrayList<>(facts.values());
        all.addAll(noise);
        return all;
    }

    /** The position of a fact among {@link #memories()}. */
    public int memoryIndex(String factKey) {
        return new ArrayList<>(facts.keySet()).indexOf(factKey);
    }

    private static final Set<String> STOP =
            Set.of(("a about after all also am an and any are as at be been before being but by can "
                            + "could did do does doing each every for from get gets got had has have having he her here him his how i if in into is it "
                            + "its just me might more most must my never no not now of off on once only or our ours out over own she should so some still "
                            + "such than that the their them then there these they this those through to too under until up us very was we were what "
                            + "when where which while who whom why will with would you your again long new day days week")
                    .split(" "));

    /** Lower-case words without stop words, a trailing 's and a plural s: enough to say whether two texts share a word. */
    static Set<String> contentWords(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+"))
                .map(w -> w.replaceAll("'s?$", ""))
                .filter(w -> !w.isEmpty() && !STOP.contains(w))
                .map(w -> w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w)
                .collect(Collectors.toSet());
    }

    private static boolean sharesAWord(String a, String b) {
        Set<String> words = contentWords(b);
        return contentWords(a).stream().anyMatch(words::contains);
    }
}
