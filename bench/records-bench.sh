#!/usr/bin/env bash
# Whole-process comparisons for checksum records (issue 13), peer and Intact in the same run:
#  1. `intact record -a adler32,crc32c,sha256` of one big file vs `intact sum -a sha256` of it
#     (target: record <= 1.15x sum: three types in one read pass cost about what sha256 alone does);
#  2. `intact scrub` of a tree of small files (4 KiB-1 MiB) with recorded adler32+sha256 vs
#     `rhash -r --check` of the sum file `rhash -r --sha256 --crc32` made (target >= 1.5x faster)
#     and vs `xrdadler32` run once per file (target >= 10x faster). xrdadler32 FILE prints a fresh
#     record's value without reading the data (XRootD 5.5.3), so it runs twice: on the file (the
#     record Intact wrote is fresh: an xattr lookup, no data read) and on stdin (`xrdadler32 <FILE`,
#     it reads and computes, what a per-file verification costs).
#
#   bench/records-bench.sh [DIR] [RUNS]
#   SIZE=4G FILES=10000 bench/records-bench.sh     (the issue's sizes; defaults below)
#   SIZE=1G FILES=2000 WARMUP=0 bench/records-bench.sh DIR 2   (a loaded machine)
#
# Files are read once before timing and each command runs WARMUP times (default 1) untimed, so
# this compares CPU paths, not disks (unless memory is short and the kernel drops the cache).
# Needs: hyperfine, rhash, xrootd-client (xrdadler32), attr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-records-bench}
runs=${2:-3}
size=${SIZE:-4G}
files=${FILES:-10000}
warmup=${WARMUP:-1}
for tool in hyperfine rhash xrdadler32 python3; do
  command -v "$tool" >/dev/null || { echo "records-bench: $tool is missing (apt-get install hyperfine rhash xrootd-client python3)" >&2; exit 1; }
done
intact=${INTACT:-$root/bin/intact}
"$intact" --version >/dev/null   # builds the command outside the timings
mkdir -p "$dir"

big=$dir/big.bin
if [[ ! -s $big ]]; then
  head -c "$size" /dev/urandom >"$big"
fi
tree=$dir/tree
if [[ ! -d $tree ]]; then
  python3 - "$tree" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(13)
for i in range(n):
    d = os.path.join(root, "d%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    size = rnd.randint(4096, 1 << 20) // 2  # mean ~256 KiB: 10,000 files ~2.5 GiB
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(os.urandom(size))
PY
  "$intact" record --quiet -a adler32,sha256 "$tree"
  (cd "$dir" && rhash -r --sha256 --crc32 tree >"$dir/tree.rhash")
fi
cat "$big" >/dev/null
echo "load: $(uptime)"
echo "== 1. record (3 types, one pass) vs sum -a sha256, $(du -h "$big" | cut -f1)"
hyperfine --runs "$runs" --warmup "$warmup" \
  -n "intact sum -a sha256" "$intact sum -a sha256 $big" \
  -n "intact record -a adler32,crc32c,sha256 --update" "$intact record --quiet --update -a adler32,crc32c,sha256 $big"

find "$tree" -type f -exec cat {} + >/dev/null
echo "load: $(uptime)"
echo "== 2. scrub of $(find "$tree" -type f | wc -l) files ($(du -sh "$tree" | cut -f1))"
hyperfine --runs "$runs" --warmup "$warmup" \
  -n "intact scrub" "$intact scrub $tree" \
  -n "rhash -r --check" "cd $dir && rhash --skip-ok -c tree.rhash" \
  -n "xrdadler32 FILE per file (stored record)" "find $tree -type f -exec xrdadler32 {} \\; >/dev/null" \
  -n "xrdadler32 <FILE per file (computes)" "find $tree -type f -exec sh -c 'for f; do xrdadler32 <\"\$f\"; done' sh {} + >/dev/null"
