#!/usr/bin/env bash
# intact sum -c against sha256sum -c on a sum file of many lines (issue 15, item 7): per-line cost
# and peak memory. Makes 100 one-byte files and a SHA256SUMS of LINES lines naming them in turn,
# then times both checks in the same run (wall, user, sys, peak RSS from /usr/bin/time).
# Usage: bench/sum-check-bench.sh [DIR] [LINES]   (default: a temporary directory, 1000000)
# INTACT_JAVA_OPTS=-Xmx48m shows the check runs in a small fixed heap.
set -euo pipefail
root=$(cd -- "$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")/.." && pwd)
dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/intact-check-bench.XXXXXX")}
lines=${2:-1000000}
mkdir -p "$dir"
cd "$dir"
for i in $(seq 0 99); do printf '%s' "$i" >"f$i"; done
sha256sum f* >one
awk -v n="$lines" '{ l[NR] = $0 } END { for (i = 0; i < n; i++) print l[i % NR + 1] }' one >SHA256SUMS
"$root/bin/intact" --version >/dev/null # build and AOT cache outside the timing
fmt='%e s wall, %U s user, %S s sys, %M KB peak RSS'
/usr/bin/time -f "sha256sum -c, $lines lines: $fmt" sha256sum -c --quiet SHA256SUMS
/usr/bin/time -f "intact sum -c, $lines lines: $fmt" "$root/bin/intact" sum --quiet -c SHA256SUMS
