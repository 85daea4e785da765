#!/usr/bin/env bash
# The benchmark harness: builds the functions and the harness, then measures (see docs/performance.md).
#
#   infra/bench/run.sh            # full run, under 20 minutes on 2 cores (the first run also writes the
#                                 # synthetic 1B models, ~14 GB, into ~/.cache/engram/synthetic)
#   infra/bench/run.sh --quick    # under 4 minutes (Q4 and Q8; ~9 GB of models)
#   infra/bench/run.sh --only decode,prefill --repeats 5
#
# Needs redis-server, gcc (the native bandwidth probe) and node >= 20 with npm (the llama.cpp baseline,
# node-llama-cpp, installed into infra/bench/llama-cpp on first use).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
source infra/local/java.sh

if ! command -v redis-server >/dev/null; then
  if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is not installed (apt-get install redis-server)" >&2
    exit 1
  fi
fi
for tool in gcc node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is not installed: the harness needs gcc (native bandwidth probe) and node >= 20 with npm (llama.cpp baseline)" >&2
    exit 1
  fi
done
LLAMA_CPP="$ROOT/infra/bench/llama-cpp"
if [[ ! -f "$LLAMA_CPP/node_modules/node-llama-cpp/package.json" ]]; then
  echo "Installing node-llama-cpp (prebuilt llama.cpp CPU binaries) into $LLAMA_CPP ..."
  (cd "$LLAMA_CPP" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund --loglevel=error)
fi
if [[ "${ENGRAM_SKIP_BUILD:-0}" != "1" ]]; then
  echo "Building the functions and the harness ..."
  ./mvnw -B -q -ntp -DskipTests package -pl functions/generate,functions/memory,functions/classify,functions/batch,infra/bench/baseline-function,infra/bench -am
  # The start-up rows with an AOT cache start what -Paot packages (aot-jar), beside the default packaging
  ./mvnw -B -q -ntp -DskipTests package -pl functions/generate,functions/memory,infra/bench/baseline-function \
    -Dquarkus.package.jar.type=aot-jar -Dquarkus.package.output-directory=quarkus-aot-app
fi
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g \
  -Dengram.bench.root="$ROOT" -jar infra/bench/target/quarkus-app/quarkus-run.jar "$@"
