/**
 * Reference (scalar) codecs for the weight formats of model files: F32, F16, BF16 and GGML's block
 * quantisations Q8_0 and Q4_0, byte for byte as llama.cpp lays them out. They convert rows at load
 * time and are the yardstick the engine's SIMD kernels are tested against.
 */
package dev.engram.inference.quant;
