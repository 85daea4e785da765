package dev.engram.inference.engine;

import dev.engram.inference.Prompt;
import dev.engram.inference.chat.ChatTemplate;
import dev.engram.inference.chat.ChatTurn;
import dev.engram.inference.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt rendered with the model's chat template and turned into ids so that only the template can
 * produce control tokens: each message's text goes through the template as a placeholder, the
 * template's own text is encoded with special tokens, and the messages' texts are encoded as plain
 * text. A user who types {@code <|eot_id|>} gets those characters, not an end of turn.
 */
record PromptTokens(String text, List<String> parts, List<Boolean> plain) {
    /** Private-use characters around a message index: they never occur in a template. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\uE000(\\d+)\uE001");

    static PromptTokens render(ChatTemplate template, Prompt prompt, boolean addGenerationPrompt) {
        List<String> contents = new ArrayList<>();
        List<ChatTurn> turns = new ArrayList<>();
        if (prompt.system() != null && !prompt.system().isBlank()) {
            turns.add(ChatTurn.system(hold(contents, prompt.system())));
        }
        for (Prompt.Message message : prompt.history()) {
            String held = hold(contents, message.text());
            turns.add(message.role() == Prompt.Role.USER ? ChatTurn.user(held) : ChatTurn.assistant(held));
        }
        turns.add(ChatTurn.user(hold(contents, prompt.user())));
        String rendered = template.render(turns, addGenerationPrompt);
        List<String> parts = new ArrayList<>();
        List<Boolean> plain = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Matcher m = PLACEHOLDER.matcher(rendered);
        int at = 0;
        while (m.find()) {
            parts.add(rendered.substring(at, m.start()));
            plain.add(false);
            String content = contents.get(Integer.parseInt(m.group(1)));
            parts.add(content);
            plain.add(true);
            text.append(rendered, at, m.start()).append(content);
            at = m.end();
        }
        parts.add(rendered.substring(at));
        plain.add(false);
        text.append(rendered.substring(at));
        return new PromptTokens(text.toString(), parts, plain);
    }

    private static String hold(List<String> contents, String text) {
        contents.add(text);
        return "\uE000" + (contents.size() - 1) + "\uE001";
    }

    /** This prompt with {@code text} after it as plain text (a reply's start). */
    PromptTokens followedBy(String text) {
        List<String> moreParts = new ArrayList<>(parts);
        List<Boolean> morePlain = new ArrayList<>(plain);
        moreParts.add(text);
        morePlain.add(true);
        return new PromptTokens(this.text + text, moreParts, morePlain);
    }

    /** The ids: template text with special tokens, message texts without. */
    int[] encode(Tokenizer tokenizer) {
        List<int[]> pieces = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).isEmpty()) {
                continue;
            }
            int[] ids = plain.get(i) ? tokenizer.encode(parts.get(i)) : tokenizer.encodeWithSpecialTokens(parts.get(i));
            pieces.add(ids);
            total += ids.length;
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] piece : pieces) {
            System.arraycopy(piece, 0, all, at, piece.length);
            at += piece.length;
        }
        return all;
    }

    /** Rendered text the engine wrote itself (templated): special tokens allowed. */
    static int[] encodeRendered(Tokenizer tokenizer, String text) {
        return tokenizer.encodeWithSpecialTokens(text);
    }

    /** {@code ids} with the tokenizer's BOS in front when it wants one and it is not there yet. */
    static int[] withBos(Tokenizer tokenizer, int[] ids) {
        if (!tokenizer.addBos() || tokenizer.bos() < 0 || (ids.length > 0 && ids[0] == tokenizer.bos())) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = tokenizer.bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}
