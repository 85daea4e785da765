/**
 * The GGUF model file format of llama.cpp and Ollama: {@link dev.engram.inference.gguf.GgufFile} reads
 * a file's metadata and memory-maps its tensors, {@link dev.engram.inference.gguf.GgufWriter} writes
 * one (version 3), and {@link dev.engram.inference.gguf.GgmlType} names the tensor types. Every length,
 * count and offset in a file is checked before use: a corrupt file gives an
 * {@link java.lang.IllegalArgumentException} that says what is wrong.
 */
package dev.engram.inference.gguf;
