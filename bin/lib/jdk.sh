# Sourced by Intact's scripts: sets JAVA_HOME to a JDK whose feature version is 25 or newer.
# Order: $JAVA_HOME, then `java` on PATH, then the usual install folders. The machine's default
# Java may be older (17 on Debian 12), so PATH alone is not trusted.
# The usual case (JAVA_HOME or the first candidate is good) starts no process: bin/intact pays
# for this on every launch.

# Sets _intact_feature to the feature version of the JDK at $1, or to nothing.
_intact_read_feature() {
  _intact_feature=
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local line
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then
        _intact_feature=${BASH_REMATCH[1]}
        return 0
      fi
    done <"$1/release"
  fi
  _intact_feature=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
}

intact_jdk_feature() { # prints the feature version of the JDK at $1, or nothing
  _intact_read_feature "$1"
  printf '%s' "$_intact_feature"
}

# Whether the JDK at $1 is 25 or newer; if so, it becomes JAVA_HOME.
_intact_try_jdk() {
  _intact_read_feature "$1"
  if [ -n "$_intact_feature" ] && [ "$_intact_feature" -ge 25 ] 2>/dev/null; then
    JAVA_HOME=$1
    export JAVA_HOME
    return 0
  fi
  return 1
}

intact_find_jdk() {
  local c java
  if [ -n "${JAVA_HOME:-}" ] && _intact_try_jdk "$JAVA_HOME"; then
    return 0
  fi
  if java=$(command -v java 2>/dev/null) && [ -n "$java" ]; then
    java=$(readlink -f "$java")
    _intact_try_jdk "${java%/bin/java}" && return 0
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && _intact_try_jdk "$c" && return 0
  done
  echo "intact: no JDK 25 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm, /opt/java, ~/.sdkman)." >&2
  echo "intact: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
