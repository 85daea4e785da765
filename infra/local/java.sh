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
    cat >&2 <<'EOF'
No Java 25 JDK found (looked at JAVA_HOME and in /usr/lib/jvm). Install one, then run this again:
  - Debian/Ubuntu, Eclipse Temurin from Adoptium's apt repository (https://adoptium.net/installation/linux/):
      apt-get install temurin-25-jdk
  - or the distribution's own package, where it has one: apt-get install openjdk-25-jdk
  - or unpack a JDK 25 tarball (https://adoptium.net/temurin/releases/?version=25) and set JAVA_HOME to it.
EOF
    exit 1
  fi
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
