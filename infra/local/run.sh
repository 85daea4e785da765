#!/usr/bin/env bash
# Runs one Engram function locally: builds it if needed, starts a local Redis when none answers,
# and starts the packaged function on Java 25 with the JVM flags Jlama needs.
#
#   infra/local/run.sh generate            # the model the project carries (stories260K)
#   ENGRAM_MODEL_PATH=/models/my-model infra/local/run.sh generate   # a model directory of your own
#   ENGRAM_MODEL_ID=owner/name infra/local/run.sh generate           # a Hugging Face model, downloaded once
#   PORT=8081 infra/local/run.sh memory    # another HTTP port
#   infra/local/run.sh all                 # every function on one port, one model, one embedder
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
FUNCTION="${1:-generate}"
if [[ ! -d "functions/$FUNCTION" ]]; then
  echo "No function '$FUNCTION'; choose one of: $(ls functions | tr '\n' ' ')" >&2
  exit 2
fi

source infra/local/java.sh

APP="functions/$FUNCTION/target/quarkus-app/quarkus-run.jar"
if [[ "${ENGRAM_SKIP_BUILD:-0}" != "1" ]]; then
  echo "Building $FUNCTION ..."
  ./mvnw -B -q -ntp -DskipTests package -pl "functions/$FUNCTION" -am
fi

# Redis: use the one at ENGRAM_REDIS_HOST:ENGRAM_REDIS_PORT if it answers, else start one for this run.
REDIS_HOST="${ENGRAM_REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${ENGRAM_REDIS_PORT:-6379}"
REDIS_PID=""
# The functions' Redis user (infra/redis/redis.conf defines it; its password there is for local use only).
REDIS_USER="${ENGRAM_REDIS_USER:-engram}"
REDIS_PASSWORD="${ENGRAM_REDIS_PASSWORD:-engram-local-only}"
# First line of a PING: "+PONG" (no auth needed), "-NOAUTH ..." (a Redis with ACLs, e.g. ours), or nothing.
redis_ping() { (exec 3<>"/dev/tcp/$REDIS_HOST/$REDIS_PORT" && printf 'PING\r\n' >&3 && timeout 2 head -n 1 <&3) 2>/dev/null || true; }
redis_up() { [[ "$(redis_ping)" =~ ^(\+PONG|-NOAUTH) ]]; }
if ! redis_up; then
  if ! command -v redis-server >/dev/null; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
      echo "Installing redis-server ..."
      DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    else
      echo "No Redis at $REDIS_HOST:$REDIS_PORT and redis-server is not installed (apt-get install redis-server)" >&2
      exit 1
    fi
  fi
  REDIS_DIR="${ENGRAM_REDIS_DIR:-$ROOT/target/redis-data}"
  mkdir -p "$REDIS_DIR"
  echo "Starting redis-server on $REDIS_HOST:$REDIS_PORT (data in $REDIS_DIR)"
  redis-server "$ROOT/infra/redis/redis.conf" --port "$REDIS_PORT" --dir "$REDIS_DIR" --daemonize no >"$REDIS_DIR/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  redis_up || { echo "redis-server did not start; see $REDIS_DIR/redis.log" >&2; exit 1; }
fi
APP_PID=""
stop_all() {
  set +e
  [[ -n "$APP_PID" ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  [[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  true
}
trap stop_all EXIT INT TERM

# A Redis that wants a login (ours: no default user) gets the functions' user; an open one gets none.
if [[ -z "${ENGRAM_REDIS_URL:-}" ]]; then
  if [[ "$(redis_ping)" =~ ^-NOAUTH ]]; then
    export ENGRAM_REDIS_URL="redis://$REDIS_USER:$REDIS_PASSWORD@$REDIS_HOST:$REDIS_PORT"
  else
    export ENGRAM_REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT"
  fi
fi
# Authentication: with ENGRAM_AUTH_KEYS (<tenant>:<sha256 of the key>,...) it is on, as in production;
# without, this local run turns it off, and says so (the function warns at start-up as well).
if [[ -z "${ENGRAM_AUTH_KEYS:-}" && -z "${ENGRAM_AUTH_ENABLED:-}" ]]; then
  export ENGRAM_AUTH_ENABLED=false
  echo "WARNING: authentication is OFF for this local run (no ENGRAM_AUTH_KEYS): every request is tenant 'default'." >&2
  echo "         To run with keys: ENGRAM_AUTH_KEYS=mytenant:\$(printf %s \"\$KEY\" | sha256sum | cut -d' ' -f1) $0 $FUNCTION" >&2
fi
# The model: without a path or a Hugging Face id, the tiny stories260K the project carries (it writes
# children's stories; see docs/models.md for a real model).
if [[ -z "${ENGRAM_MODEL_PATH:-}" && -z "${ENGRAM_MODEL_ID:-}" ]]; then
  export ENGRAM_MODEL_PATH="$ROOT/shared/src/main/resources/models/stories260K"
fi
# Batch jobs read and write files only below a data directory an operator names (per tenant:
# <dir>/<tenant>/); this local run names one unless ENGRAM_BATCH_INPUT_ROOT / _OUTPUT_ROOT are set.
if [[ "$FUNCTION" == "batch" || "$FUNCTION" == "all" ]]; then
  export ENGRAM_BATCH_INPUT_ROOT="${ENGRAM_BATCH_INPUT_ROOT:-$ROOT/target/batch-data}"
  export ENGRAM_BATCH_OUTPUT_ROOT="${ENGRAM_BATCH_OUTPUT_ROOT:-$ENGRAM_BATCH_INPUT_ROOT}"
  mkdir -p "$ENGRAM_BATCH_INPUT_ROOT"
  echo "Batch files: inputs below $ENGRAM_BATCH_INPUT_ROOT/<tenant>/, results below $ENGRAM_BATCH_OUTPUT_ROOT/<tenant>/" >&2
fi
# Vector API (incubator) and native access for Jlama's SIMD kernels; see docs/engine.md.
JVM_FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED ${ENGRAM_JVM_OPTS:-})
echo "Starting $FUNCTION on port ${PORT:-8080} (model: ${ENGRAM_MODEL_PATH:-$ENGRAM_MODEL_ID})"
"$JAVA_HOME/bin/java" "${JVM_FLAGS[@]}" -jar "$APP" &
APP_PID=$!
wait "$APP_PID"
