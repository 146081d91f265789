#!/usr/bin/env bash
# Start-up of `intact --version`, `intact sum -a sha256` of a 1 MiB file and `intact sum -a imageio`
# of an empty (sparse) 1 TiB file (issue 16: ≤ 0.08 s, ≤ 0.12 s, ≤ 0.15 s), and `intact sum -a
# blake3` of the 1 MiB file (the Vector API's module loaded, its kernel not used: b3sum the peer),
# in one hyperfine run each, against:
#   the JVM alone   `java -version` on the same JDK and options (the floor Intact starts from)
#   the peer        `sha256sum --version` / `sha256sum` of the same file (for the 1 TiB image,
#                   `sha256sum` of the 1 MiB file: what a C tool pays to start and read a little)
#   package         bin/intact of the tarball packaging/build made, if there is one (with and
#                   without its AOT cache)
# and prints each one's mean wall and CPU time and bin/intact÷it speed (its time ÷ bin/intact's).
# Usage: bench/startup-bench.sh [TARBALL]  (RUNS=20 by default; BEFORE="COMMAND" adds a row for
# another build's command line, e.g. the previous jar run by java with its own AOT cache). Quote the load average it prints:
# on the shared 2-CPU machine wall times move with it, CPU times less so.
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
for tool in hyperfine jq sha256sum b3sum; do
  command -v "$tool" >/dev/null || { echo "startup-bench: $tool is missing (apt-get install hyperfine jq coreutils b3sum)" >&2; exit 2; }
done
tarball=${1:-$(ls "$root"/packaging/target/intact-*-linux-*.tar.gz 2>/dev/null | head -n 1 || true)}

work=$(mktemp -d "${TMPDIR:-/tmp}/intact-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
repo=$root/bin/intact
head -c 1M /dev/urandom >"$work/1m.bin"
truncate -s 1T "$work/empty-1t.img"
"$repo" --version >/dev/null # builds the jar and trains bin/intact's AOT cache if needed
"$repo" sum -a sha256 "$work/1m.bin" >/dev/null
"$repo" sum -a blake3 "$work/1m.bin" >/dev/null 2>&1 # the blake3 commands' own AOT cache
# shellcheck source=../bin/lib/jdk.sh
source "$root/bin/lib/jdk.sh"
intact_find_jdk
jvm="$JAVA_HOME/bin/java -XX:+UseSerialGC -XX:-UsePerfData -version"
pkg=
if [ -n "$tarball" ] && [ -f "$tarball" ]; then
  tar -xzf "$tarball" -C "$work"
  pkg=$(ls -d "$work"/intact-*/)bin/intact
  "$pkg" --version >/dev/null
fi

echo "startup-bench: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for case in version sum imageio blake3; do
  case $case in
    version) args="--version"; peer="sha256sum --version" ;;
    sum) args="sum -a sha256 $work/1m.bin"; peer="sha256sum $work/1m.bin" ;;
    imageio) args="sum -a imageio $work/empty-1t.img"; peer="sha256sum $work/1m.bin" ;;
    blake3) args="sum -a blake3 $work/1m.bin"; peer="b3sum $work/1m.bin" ;;
  esac
  cmds=(-n "bin/intact $args" "$repo $args" -n "java -version (JVM floor)" "$jvm" -n "$peer" "$peer")
  if [ -n "${BEFORE:-}" ]; then # another build's command, to measure a change in the same run
    # shellcheck disable=SC2206 # BEFORE is a command line
    cmds+=(-n "before: $args" "$BEFORE $args")
  fi
  if [ -n "$pkg" ]; then
    cmds+=(-n "package $args" "$pkg $args"
      -n "package, no AOT cache $args" "env INTACT_JAVA_OPTS=-XX:AOTMode=off $pkg $args")
  fi
  hyperfine -N --warmup 3 --runs "${RUNS:-20}" --style none --export-json "$work/$case.json" "${cmds[@]}" >/dev/null
  jq -r '.results as $r | $r[] | [.command, .mean, .user + .system, (.mean / $r[0].mean)]
    | "\(.[0])\t\(.[1]*1000|round) ms\tCPU \(.[2]*1000|round) ms\tbin/intact÷this speed \(.[3]*100|round/100)x"' \
    "$work/$case.json" | column -t -s $'\t'
done
echo "startup-bench: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
