#!/usr/bin/env bash
# The benchmark harness: builds the functions and the harness, then measures (see docs/performance.md).
#
#   infra/bench/run.sh            # full run, under 15 minutes on 2 cores (the first run also writes
#                                 # the synthetic 1B models, ~10 GB, into ~/.cache/engram/synthetic)
#   infra/bench/run.sh --quick    # under 3 minutes
#   infra/bench/run.sh --only decode,prefill --repeats 5
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
if [[ "${ENGRAM_SKIP_BUILD:-0}" != "1" ]]; then
  echo "Building the functions and the harness ..."
  ./mvnw -B -q -ntp -DskipTests package -pl functions/generate,functions/memory,functions/classify,functions/batch,infra/bench -am
fi
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx6g \
  -Dengram.bench.root="$ROOT" -jar infra/bench/target/quarkus-app/quarkus-run.jar "$@"
