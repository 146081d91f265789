#!/usr/bin/env bash
# Whole-process comparison of `intact sum` against the peer tools, on the standard images.
#
#   bench/sum-bench.sh [DIR] [RUNS]      (DIR default /tmp/intact-bench, RUNS default 5)
#   IMAGES="full-4g.raw empty-1t.raw" bench/sum-bench.sh    (a subset of the images)
#
# Every command runs in this one script on this one machine, page cache warm (one warm-up run
# each), timed by hyperfine; the table gives medians and the Intact÷peer speed ratio
# (peer median ÷ Intact median: above 1 means Intact is faster). Peak RSS comes from GNU time.
# Tools that cannot skip holes are not run over the 100 GiB and 1 TiB sparse images.
# Needs: hyperfine, GNU time, coreutils, xxhash, rhash, b3sum (Debian packages of those names).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-bench}
runs=${2:-5}
for tool in hyperfine /usr/bin/time sha256sum b2sum xxhsum rhash b3sum python3; do
  command -v "$tool" >/dev/null || { echo "sum-bench: $tool is missing (apt-get install hyperfine time coreutils xxhash rhash b3sum python3)" >&2; exit 1; }
done
"$here/make-images.sh" "$dir" >/dev/null
intact="$root/bin/intact"
"$intact" --version >/dev/null   # builds the distribution and its AOT cache outside the timings

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
results="$out/results.tsv"
: > "$results"

# time LABEL IMAGE COMMAND: median seconds of COMMAND, appended to the results
time_cmd() {
  local label=$1 image=$2 cmd=$3 json="$out/run.json"
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$json" "$cmd" >/dev/null 2>&1 \
    || { echo "sum-bench: '$cmd' failed" >&2; exit 1; }
  local median rss
  median=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$json")
  rss=$(/usr/bin/time -f '%M' bash -c "$cmd >/dev/null 2>&1" 2>&1 | tail -n 1 | tr -dc '0-9')
  printf '%s\t%s\t%s\t%s\t%s\n' "$image" "$label" "$median" "$rss" "$cmd" >> "$results"
  printf '  %-28s %-14s %8.3f s  %7d KiB  %s\n' "$image" "$label" "$median" "$rss" "$cmd" >&2
}

images=${IMAGES:-full-4g.raw half-4g.raw zero-4g.raw empty-100g.raw empty-1t.raw}
for image in $images; do
  case $image in empty-*) continue ;; esac
  f="$dir/$image"
  cat "$f" > /dev/null   # into the page cache
  time_cmd "intact blkhash" "$image" "$intact sum $f"
  time_cmd "intact imageio" "$image" "$intact sum -a imageio $f"
  time_cmd "intact sha256" "$image" "$intact sum -a sha256 $f"
  time_cmd "sha256sum" "$image" "sha256sum $f"
  time_cmd "intact blake2b-256" "$image" "$intact sum -a blake2b-256 $f"
  time_cmd "b2sum -l 256" "$image" "b2sum -l 256 $f"
  time_cmd "intact xxh3" "$image" "$intact sum -a xxh3 $f"
  time_cmd "xxhsum -H3" "$image" "xxhsum -H3 $f"
  time_cmd "intact crc32c" "$image" "$intact sum -a crc32c $f"
  time_cmd "rhash --crc32c" "$image" "rhash --crc32c $f"
  time_cmd "intact blake3" "$image" "$intact sum -a blake3 $f"
  time_cmd "b3sum" "$image" "b3sum $f"
done
for image in $images; do
  case $image in empty-*) ;; *) continue ;; esac
  f="$dir/$image"
  time_cmd "intact blkhash" "$image" "$intact sum $f"
  time_cmd "intact imageio" "$image" "$intact sum -a imageio $f"
done

python3 - "$results" "$dir" <<'PY'
import sys, os, collections
rows = [l.rstrip("\n").split("\t", 4) for l in open(sys.argv[1]) if l.strip()]
t = collections.OrderedDict()
for image, label, median, rss, cmd in rows:
    t[(image, label)] = (float(median), int(rss))
pairs = [("intact sha256", "sha256sum"), ("intact imageio", "b2sum -l 256"),
         ("intact blake2b-256", "b2sum -l 256"), ("intact xxh3", "xxhsum -H3"),
         ("intact crc32c", "rhash --crc32c"), ("intact blake3", "b3sum")]
print("| image | Intact | s | GB/s | peak RSS MiB | peer | s | Intact÷peer speed |")
print("|---|---|---:|---:|---:|---|---:|---:|")
images = list(dict.fromkeys(k[0] for k in t))
for image in images:
    size = os.path.getsize(os.path.join(sys.argv[2], image))
    for label in [k[1] for k in t if k[0] == image and k[1].startswith("intact")]:
        s, rss = t[(image, label)]
        peer = next((p for a, p in pairs if a == label), None)
        if label == "intact blkhash":
            peer = None
        if peer and (image, peer) in t:
            ps = t[(image, peer)][0]
            print(f"| {image} | {label} | {s:.3f} | {size/s/1e9:.2f} | {rss/1024:.0f} | {peer} | {ps:.3f} | {ps/s:.2f}× |")
        else:
            print(f"| {image} | {label} | {s:.3f} | {size/s/1e9:.2f} | {rss/1024:.0f} | — | | |")
f, h = t.get(("full-4g.raw", "intact blkhash")), t.get(("half-4g.raw", "intact blkhash"))
if f and h:
    print(f"\n50 %-holes vs random data, default blkhash: {f[0]/h[0]:.2f}× faster")
PY
