package dev.engram.inference.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import com.github.tjake.jlama.safetensors.prompt.PromptSupport;
import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufValue;
import dev.engram.inference.gguf.GgufWriter;
import dev.engram.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates rendered as Hugging Face renders them. The expected strings are what Jinja2 (the engine
 * transformers uses, with trim_blocks and lstrip_blocks) prints for the same template and conversation.
 */
class ChatTemplateTest {
    static final String LLAMA3 =
            "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";
    static final String CHATML =
            "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";
    static final String BLOCKS =
            "{% for message in messages %}\n    {% if message['role'] == 'system' %}\n<<SYS>>{{ message['content'] }}<</SYS>>\n    {% else %}\n[{{ message['role'] | upper }}] {{ message['content'] }}\n    {% endif %}\n{% endfor %}\n{% if add_generation_prompt %}\n[ASSISTANT]\n{% endif %}\n";
    static final String DASHES =
            "{{- bos_token }}\n{%- for message in messages %}\n    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}\n{%- endfor %}\n{%- if add_generation_prompt %}\n    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}\n{%- endif %}\n";
    static final String MISTRAL =
            "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}";

    private static final List<ChatTurn> CONVERSATION = List.of(
            ChatTurn.system("You are a helpful assistant."),
            ChatTurn.user("Hi"),
            ChatTurn.assistant("Hello! How can I help?"),
            ChatTurn.user("  Tell me a story.  "));
    private static final List<ChatTurn> WITHOUT_SYSTEM = CONVERSATION.subList(1, 4);

    @TempDir
    Path dir;

    @Test
    void llama3TemplateRendersExactly() {
        ChatTemplate template = new ChatTemplate(LLAMA3, "<|begin_of_text|>", "<|eot_id|>");
        assertThat(template.render(CONVERSATION, true))
                .isEqualTo(
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello! How can I help?<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nTell me a story.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        assertThat(template.render(WITHOUT_SYSTEM, false))
                .isEqualTo(
                        "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello! How can I help?<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nTell me a story.<|eot_id|>");
    }

    @Test
    void chatMlTemplateRendersExactly() {
        ChatTemplate template = new ChatTemplate(CHATML, "", "<|im_end|>");
        assertThat(template.render(CONVERSATION, true))
                .isEqualTo(
                        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello! How can I help?<|im_end|>\n<|im_start|>user\n  Tell me a story.  <|im_end|>\n<|im_start|>assistant\n");
        assertThat(template.render(WITHOUT_SYSTEM, false))
                .isEqualTo(
                        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello! How can I help?<|im_end|>\n<|im_start|>user\n  Tell me a story.  <|im_end|>\n");
    }

    @Test
    void blockTagsOnTheirOwnLinesAreTrimmedAsInJinja() {
        ChatTemplate template = new ChatTemplate(BLOCKS, "", "");
        assertThat(template.render(CONVERSATION, true))
                .isEqualTo(
                        "<<SYS>>You are a helpful assistant.<</SYS>>\n[USER] Hi\n[ASSISTANT] Hello! How can I help?\n[USER]   Tell me a story.  \n[ASSISTANT]\n");
        assertThat(template.render(WITHOUT_SYSTEM, false))
                .isEqualTo("[USER] Hi\n[ASSISTANT] Hello! How can I help?\n[USER]   Tell me a story.  \n");
    }

    @Test
    void whitespaceControlDashesTrimAsInJinja() {
        ChatTemplate template = new ChatTemplate(DASHES, "<|begin_of_text|>", "<|eot_id|>");
        assertThat(template.render(CONVERSATION, true))
                .isEqualTo(
                        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello! How can I help?<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nTell me a story.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void raiseExceptionRefusesTheConversationWithTheTemplatesMessage() {
        ChatTemplate template = new ChatTemplate(MISTRAL, "<s>", "</s>");
        assertThat(template.render(WITHOUT_SYSTEM, true))
                .isEqualTo("<s>[INST] Hi [/INST]Hello! How can I help?</s>[INST]   Tell me a story.   [/INST]");
        assertThatThrownBy(() -> template.render(CONVERSATION, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Conversation roles must alternate");
    }

    @Test
    void rendersAsJlamasPromptSupportForTheSameTokenizerConfig() throws IOException {
        for (String source : List.of(LLAMA3, CHATML)) {
            Path model = modelWithTemplate(source);
            ChatTemplate template = ChatTemplate.fromHuggingFace(model).orElseThrow();
            assertThat(template.source()).isEqualTo(source);
            assertThat(template.bosToken()).isEqualTo("<s>");
            assertThat(template.eosToken()).isEqualTo("</s>");
            PromptSupport.Builder jlama = new LlamaTokenizer(model)
                    .promptSupport()
                    .orElseThrow()
                    .builder()
                    .addSystemMessage("You are a helpful assistant.")
                    .addUserMessage("Hi")
                    .addAssistantMessage("Hello! How can I help?")
                    .addUserMessage("  Tell me a story.  ");
            // Jlama renders bos_token as "" and adds BOS itself
            String expected = jlama.build().getPrompt();
            assertThat(new ChatTemplate(source, "", template.eosToken()).render(CONVERSATION, true))
                    .isEqualTo(expected);
            Files.walk(model)
                    .sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aModelWithoutATemplateHasNone() throws IOException {
        assertThat(ChatTemplate.fromHuggingFace(TestModels.stories260K())).isEmpty();
        assertThat(ChatTemplate.fromHuggingFace(dir)).isEmpty();
    }

    @Test
    void namedTemplateListsAndGgufTemplatesAreRead() throws IOException {
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                new ObjectMapper()
                        .writeValueAsString(Map.of(
                                "bos_token",
                                Map.of("content", "<|begin_of_text|>"),
                                "eos_token",
                                "<|eot_id|>",
                                "chat_template",
                                List.of(
                                        Map.of("name", "tool_use", "template", "tools"),
                                        Map.of("name", "default", "template", LLAMA3)))));
        ChatTemplate fromList = ChatTemplate.fromHuggingFace(dir).orElseThrow();
        assertThat(fromList.source()).isEqualTo(LLAMA3);
        assertThat(fromList.bosToken()).isEqualTo("<|begin_of_text|>");

        Path file = dir.resolve("chat.gguf");
        new GgufWriter()
                .putString("tokenizer.chat_template", CHATML)
                .put("tokenizer.ggml.tokens", GgufValue.strings(List.of("<unk>", "<|im_start|>", "<|im_end|>")))
                .putUint32("tokenizer.ggml.eos_token_id", 2)
                .write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            ChatTemplate fromGguf = ChatTemplate.fromGguf(gguf).orElseThrow();
            assertThat(fromGguf.eosToken()).isEqualTo("<|im_end|>");
            assertThat(fromGguf.bosToken()).isEmpty();
            assertThat(fromGguf.render(WITHOUT_SYSTEM, false))
                    .isEqualTo(
                            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello! How can I help?<|im_end|>\n<|im_start|>user\n  Tell me a story.  <|im_end|>\n");
        }
    }

    private Path modelWithTemplate(String source) throws IOException {
        Path model = Files.createTempDirectory(dir, "model");
        Files.copy(TestModels.stories260K().resolve("tokenizer.json"), model.resolve("tokenizer.json"));
        Files.copy(TestModels.stories260K().resolve("config.json"), model.resolve("config.json"));
        Files.writeString(
                model.resolve("tokenizer_config.json"),
                new ObjectMapper()
                        .writeValueAsString(Map.of("bos_token", "<s>", "eos_token", "</s>", "chat_template", source)));
        return model;
    }
}
