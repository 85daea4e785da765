#!/usr/bin/env bash
# The harness with both sides kept to 256-bit vectors and AVX2, on any x86-64 machine: the JVM gets
# -XX:UseAVX=2 (the Vector API at 256 bits, and with it the engine's native kernels in their AVX2
# variant), and llama.cpp finds only its AVX2 CPU build ("haswell": AVX2, FMA, F16C). On a machine with
# AVX-512 this shows what a 256-bit machine of the same clock and memory runs. Arguments go to run.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
LLAMA_CPP="$ROOT/infra/bench/llama-cpp"
if [[ ! -f "$LLAMA_CPP/node_modules/node-llama-cpp/package.json" ]]; then
  (cd "$LLAMA_CPP" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error)
fi
# A copy of the install made of hard links (no bytes copied), without the other CPU builds.
AVX2="$ROOT/infra/bench/target/llama-cpp-avx2"
rm -rf "$AVX2"
trap 'rm -rf "$AVX2"' EXIT
mkdir -p "$AVX2"
cp -al "$LLAMA_CPP/." "$AVX2/"
find "$AVX2/node_modules/@node-llama-cpp" -name 'libggml-cpu-*.so' ! -name 'libggml-cpu-haswell.so' -delete
JAVA_TOOL_OPTIONS="-XX:UseAVX=2 ${JAVA_TOOL_OPTIONS:-}" "$ROOT/infra/bench/run.sh" --llama-cpp "$AVX2" "$@"
