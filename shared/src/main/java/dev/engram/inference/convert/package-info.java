/**
 * Conversion between model file formats: {@link dev.engram.inference.llama.LlamaConfig} is a
 * Llama-family model's shape read from a Hugging Face {@code config.json} or from GGUF metadata, and
 * {@link dev.engram.inference.convert.GgufExport} turns a Hugging Face Llama/Mistral/Qwen2 directory
 * into one GGUF file (F32, F16, BF16, Q8_0 or Q4_0) that llama.cpp loads.
 */
package dev.engram.inference.convert;
