#!/bin/sh
# The installed `intact` (tarball bin/intact, Debian /usr/bin/intact -> /usr/lib/intact/bin/intact).
# Unlike the repository's bin/intact it looks for nothing and builds nothing: the Java runtime
# (jlink'd, only the modules Intact uses), the jars and the AOT cache made at package time all
# sit beside it. POSIX sh, not bash: one process less to start. Extra JVM options:
# INTACT_JAVA_OPTS. Options as bin/intact's (why: see there): FFM and hash4j need the two
# access flags; SerialGC and no perf data suit a short-lived process.
root=$(dirname -- "$(dirname -- "$(readlink -f -- "$0")")")
aot=
# The cache is an optimisation: a missing or stale one (another runtime) is skipped in silence.
if [ -r "$root/app/intact.aot" ]; then
  aot="-XX:AOTCache=$root/app/intact.aot -Xlog:aot=off -Xlog:cds=off"
fi
# shellcheck disable=SC2086 # both are lists of options
exec "$root/runtime/bin/java" --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC -XX:-UsePerfData \
  $aot ${INTACT_JAVA_OPTS:-} -jar "$root/app/intact-cli.jar" "$@"
