#!/usr/bin/env bash
# Converts a Hugging Face Llama-family model directory (config.json, safetensors, tokenizer.json) into
# one GGUF file that the engine and llama.cpp load: quantising a safetensors model ahead of time.
#
#   infra/local/quantize.sh <model-dir> <F32|F16|BF16|Q8_0|Q4_0> <out.gguf>
#   ENGRAM_SKIP_BUILD=1 infra/local/quantize.sh ...   # use the classes already built
set -euo pipefail
if [[ $# -ne 3 ]]; then
  echo "usage: $0 <model-dir> <F32|F16|BF16|Q8_0|Q4_0> <out.gguf>" >&2
  exit 2
fi
MODEL="$(realpath -m "$1")"
TYPE="$2"
OUT="$(realpath -m "$3")"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
source infra/local/java.sh

CLASSPATH_FILE=shared/target/engram-classpath.txt
if [[ "${ENGRAM_SKIP_BUILD:-0}" != "1" ]]; then
  # Build when never built, or when a source or pom changed since the last build.
  if [[ ! -f "$CLASSPATH_FILE" || -n "$(find shared/src/main shared/pom.xml pom.xml -newer "$CLASSPATH_FILE" -print -quit)" ]]; then
    echo "Building shared ..." >&2
    ./mvnw -B -q -ntp -pl shared compile dependency:build-classpath -Dmdep.outputFile=target/engram-classpath.txt >&2
  fi
fi
exec java -Xmx2g -cp "shared/target/classes:$(cat "$CLASSPATH_FILE")" dev.engram.inference.convert.GgufExport "$MODEL" "$TYPE" "$OUT"
