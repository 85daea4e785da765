/**
 * Hugging Face's safetensors format: {@link dev.engram.inference.safetensors.SafetensorsFile} maps one
 * file, {@link dev.engram.inference.safetensors.SafetensorsModel} a model directory (one file or shards
 * named by {@code model.safetensors.index.json}). Every length, shape and offset is checked against
 * the file; a corrupt file gives an {@link java.lang.IllegalArgumentException} that says what is wrong.
 */
package dev.engram.inference.safetensors;
