/**
 * Chat templates: a model's own Jinja template (from {@code tokenizer_config.json} or GGUF
 * {@code tokenizer.chat_template}) rendered the way Hugging Face's transformers renders it, turning a
 * conversation into the exact prompt text the model was trained on.
 */
package dev.engram.inference.chat;
