#!/usr/bin/env bash
# Start-up of the installed command against the repository's launcher, in one hyperfine run:
#   repo       bin/intact (finds a JDK, compares source and jar times, full JDK, its AOT cache)
#   package    bin/intact of the tarball packaging/build made (jlink'd runtime, packaged AOT cache)
#   package, no AOT cache   the same with -XX:AOTMode=off (what the packaged cache buys)
# for `intact --version` and `intact sum -a sha256` of a 1 MiB file.
# Usage: bench/startup-bench.sh [TARBALL]   (default: the one in packaging/target)
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
command -v hyperfine >/dev/null || { echo "hyperfine not found: apt-get install hyperfine" >&2; exit 2; }
tarball=${1:-$(ls "$root"/packaging/target/intact-*-linux-*.tar.gz 2>/dev/null | head -n 1)}
[ -f "$tarball" ] || { echo "no tarball: run packaging/build first" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/intact-startup.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
pkg=$(ls -d "$work"/intact-*/)bin/intact
repo=$root/bin/intact
head -c 1M /dev/urandom >"$work/1m.bin"
"$repo" --version >/dev/null # builds the jar and trains bin/intact's AOT cache if needed
"$pkg" --version >/dev/null

for args in "--version" "sum -a sha256 $work/1m.bin"; do
  hyperfine -N --warmup 3 --runs "${RUNS:-20}" --style basic \
    -n "repo bin/intact $args" "$repo $args" \
    -n "package bin/intact $args" "$pkg $args" \
    -n "package, no AOT cache $args" "env INTACT_JAVA_OPTS=-XX:AOTMode=off $pkg $args"
done
