#!/bin/sh
# The installed `intact` (tarball bin/intact, Debian /usr/bin/intact -> /usr/lib/intact/bin/intact).
# Unlike the repository's bin/intact it looks for nothing and builds nothing: the Java runtime
# (jlink'd, only the modules Intact uses), the jars and the AOT caches made at package time all
# sit beside it. POSIX sh, not bash: one process less to start. Extra JVM options:
# INTACT_JAVA_OPTS. Options as bin/intact's (why: see there): FFM and hash4j need the two
# access flags; SerialGC and no perf data suit a short-lived process; the short commands (sum,
# --version, help) use their own cache (AOT-linked, trained on them alone) and skip replaying
# its training profiles.
# Where it lies, found by the shell (bin/intact's rule: a process costs as much as the rest of the
# script): readlink only when started through a symbolic link (Debian's /usr/bin/intact).
self=$0
if [ -L "$self" ]; then
  self=$(readlink -f -- "$self")
fi
case $self in
  /*) ;;
  *) self=$PWD/$self ;;
esac
root=${self%/bin/*}
word=
word2=
for arg in "$@"; do
  case $arg in
    -*) ;;
    *)
      if [ -z "$word" ]; then
        word=$arg
      else
        word2=$arg
        break
      fi
      ;;
  esac
done
case $word in
  "" | sum | help)
    cache=$root/app/intact-short.aot
    replay="-XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
    ;;
  *)
    cache=$root/app/intact.aot
    replay=
    ;;
esac
# Transfers: the JDK's AES-GCM and SHA-256 packages compile early (why: bin/intact).
jit=
case $word in
  upload | download | copy | serve)
    jit="-XX:CompileCommand=quiet
      -XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.01
      -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.01"
    ;;
esac
# BLAKE3: the Vector API module and its kernel's early JIT only for commands that name blake3,
# from caches made with that module (why: bin/intact).
vector=
for arg in "$@"; do
  case $arg in
    [Bb][Ll][Aa][Kk][Ee]3 | -a*[Bb][Ll][Aa][Kk][Ee]3 | --*=[Bb][Ll][Aa][Kk][Ee]3)
      vector="--add-modules jdk.incubator.vector -XX:CompileCommand=quiet
        -XX:CompileCommand=CompileThresholdScaling,dev.intact.core.hash.Blake3Vectors::*,0.01
        -XX:CompileCommand=BackgroundCompilation,dev.intact.core.hash.Blake3Vectors::*,false
        -XX:-UseOnStackReplacement"
      cache=${cache%.aot}-vector.aot
      break
      ;;
  esac
done
# `intact volume serve` caps its heap and trims the C heap (why: bin/intact); INTACT_JAVA_OPTS
# comes later and wins.
memory=
if [ "$word $word2" = "volume serve" ]; then
  memory="-Xmx128m -XX:TrimNativeHeapInterval=1000"
fi
aot=
# The cache is an optimisation: a missing or stale one (another runtime) is skipped in silence.
if [ -r "$cache" ]; then
  aot="-XX:AOTCache=$cache -Xlog:aot=off -Xlog:cds=off $replay"
fi
# shellcheck disable=SC2086 # all are lists of options
exec "$root/runtime/bin/java" --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -XX:+UseSerialGC -XX:-UsePerfData \
  $aot $jit $vector $memory ${INTACT_JAVA_OPTS:-} -jar "$root/app/intact-cli.jar" "$@"
