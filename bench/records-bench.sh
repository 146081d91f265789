#!/usr/bin/env bash
# Whole-process comparisons for checksum records (issue 13), peer and Intact in the same run:
#  1. `intact record -a adler32,crc32c,sha256` of one big file vs `intact sum -a sha256` of it
#     (target: record <= 1.15x sum: three types in one read pass cost about what sha256 alone does);
#  2. `intact scrub` of a tree of small files (4 KiB-1 MiB) with recorded adler32+sha256 vs
#     `rhash -r --check` of the sum file `rhash -r --sha256 --crc32` made (target >= 1.5x faster)
#     and vs `xrdadler32` run once per file (target >= 10x faster).
#
#   bench/records-bench.sh [DIR] [RUNS]
#   SIZE=4G FILES=10000 bench/records-bench.sh     (the issue's sizes; defaults below)
#
# Files are page-cached (each command runs once before timing): this compares CPU paths, not disks.
# Needs: hyperfine, rhash, xrootd-client (xrdadler32), attr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-records-bench}
runs=${2:-3}
size=${SIZE:-4G}
files=${FILES:-10000}
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
echo "== 1. record (3 types, one pass) vs sum -a sha256, $(du -h "$big" | cut -f1)"
hyperfine --runs "$runs" --warmup 1 \
  -n "intact sum -a sha256" "$intact sum -a sha256 $big" \
  -n "intact record -a adler32,crc32c,sha256 --update" "$intact record --quiet --update -a adler32,crc32c,sha256 $big"

echo "== 2. scrub of $(find "$tree" -type f | wc -l) files ($(du -sh "$tree" | cut -f1))"
hyperfine --runs "$runs" --warmup 1 \
  -n "intact scrub" "$intact scrub $tree" \
  -n "rhash -r --check" "cd $dir && rhash --skip-ok -c tree.rhash" \
  -n "xrdadler32 per file" "find $tree -type f -exec xrdadler32 {} \\; >/dev/null"
