# Sourced by Intact's scripts: sets JAVA_HOME to a JDK whose feature version is 25 or newer.
# Order: $JAVA_HOME, then `java` on PATH, then the usual install folders. The machine's default
# Java may be older (17 on Debian 12), so PATH alone is not trusted.

intact_jdk_feature() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  printf '%s' "$v"
}

intact_find_jdk() {
  local candidates=() c v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    v=$(intact_jdk_feature "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then
      JAVA_HOME=$c
      export JAVA_HOME
      return 0
    fi
  done
  echo "intact: no JDK 25 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm, /opt/java, ~/.sdkman)." >&2
  echo "intact: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
