# Sourced by the scripts: selects a Java 25 JDK (the machine default may be older) as JAVA_HOME.
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }

if [[ -z "${JAVA_HOME:-}" || "$(java_major "$JAVA_HOME" 2>/dev/null)" != "25" ]]; then
  JAVA_HOME=""
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/*25* /opt/java/openjdk; do
    if [[ -x "$candidate/bin/java" && "$(java_major "$candidate")" == "25" ]]; then
      JAVA_HOME="$candidate"
      break
    fi
  done
  if [[ -z "$JAVA_HOME" ]]; then
    echo "No Java 25 JDK found (looked in /usr/lib/jvm); install Temurin 25 or set JAVA_HOME" >&2
    exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
