#!/usr/bin/env bash
# Whole-process comparison of `intact sum` against the peer tools, on the standard images.
#
#   bench/sum-bench.sh [DIR] [RUNS]      (DIR default /tmp/intact-bench, RUNS default 5)
#   IMAGES="full-4g.raw empty-1t.raw half-4g.qcow2" bench/sum-bench.sh    (a subset of the images)
#   PAIRS="blkhash xxh3 crc32c" bench/sum-bench.sh     (a subset of the algorithms)
#   BLKSUM=/work/peers/blkhash/src/build/bin/blksum bench/sum-bench.sh
#
# Every command runs in this one script on this one machine, page cache warm (one warm-up run
# each), timed by hyperfine; the table gives medians, the mean CPU time (user + sys, what to read
# when the machine is loaded) and the Intact÷peer speed ratio (peer median ÷ Intact median: above
# 1 means Intact is faster). Peak RSS comes from GNU time. Before timing a pair, the script checks
# that Intact and the peer print the same value (where they compute the same thing), or stops.
#
# CPU includes the qemu-nbd a tool starts (a reaped child; Intact reads a qcow2 without backing
# file itself). For qcow2 images blkhash also times `blksum --cache`, the peer reading the page
# cache as Intact does (its default reads the disk with O_DIRECT), printed below the table.
# Pairs: blkhash (blksum), imageio (b2sum -l 256: not the same value, a speed reference only),
# sha256 (sha256sum), blake2b (b2sum -l 256), xxh3 (xxhsum -H3), crc32c (rhash --crc32c),
# blake3 (b3sum). Sparse images (empty-*) and qcow2 images only run blkhash and imageio: the
# other peers read every byte of a hole, and read a qcow2 file's own bytes.
#
# blksum (nirs/blkhash) is not packaged in Debian: build it by hand (meson setup build
# -Dblake3=disabled -Dman=disabled && ninja -C build; see BENCHMARKS.md) and name it with
# BLKSUM=/path/to/blksum. Without BLKSUM the blkhash pair stops the script (leave blkhash out of
# PAIRS to run without it). blksum reads a qcow2 through qemu-nbd, so qcow2 images need qemu-utils.
# Needs: hyperfine, GNU time, coreutils, xxhash, rhash, b3sum, python3 (Debian packages of those names).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-bench}
runs=${2:-5}
pairs=" ${PAIRS:-blkhash imageio sha256 blake2b xxh3 crc32c blake3} "
for tool in hyperfine /usr/bin/time sha256sum b2sum xxhsum rhash b3sum python3; do
  command -v "$tool" >/dev/null || { echo "sum-bench: $tool is missing (apt-get install hyperfine time coreutils xxhash rhash b3sum python3)" >&2; exit 1; }
done
blksum=${BLKSUM:-}
if [[ $pairs == *" blkhash "* ]]; then
  [[ -n $blksum && -x $blksum ]] || {
    echo "sum-bench: the blkhash pair needs BLKSUM=/path/to/blksum (nirs/blkhash, built by hand; see BENCHMARKS.md), or PAIRS without blkhash" >&2
    exit 2
  }
fi
"$here/make-images.sh" "$dir" >/dev/null
intact="$root/bin/intact"
"$intact" --version >/dev/null   # builds the distribution and its AOT cache outside the timings

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
results="$out/results.tsv"
: > "$results"
echo "sum-bench: $runs runs, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# time_cmd LABEL IMAGE COMMAND: median seconds and mean CPU seconds of COMMAND, appended to the results
time_cmd() {
  local label=$1 image=$2 cmd=$3 json="$out/run.json"
  hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$json" "$cmd" >/dev/null 2>&1 \
    || { echo "sum-bench: '$cmd' failed" >&2; exit 1; }
  local median cpu rss
  read -r median cpu < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median"], r["user"] + r["system"])' "$json")
  rss=$(/usr/bin/time -f '%M' bash -c "$cmd >/dev/null 2>&1" 2>&1 | tail -n 1 | tr -dc '0-9')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$image" "$label" "$median" "$cpu" "$rss" "$cmd" >> "$results"
  printf '  %-16s %-20s %8.3f s  cpu %7.3f s  %7d KiB  %s\n' "$image" "$label" "$median" "$cpu" "$rss" "$cmd" >&2
}

# value CMD: the value CMD prints (its first word, or the last of xxhsum's "XXH3 (file) = value")
value() {
  $1 | awk 'NR == 1 { if ($0 ~ / = /) print $NF; else print $1 }'
}

# same A_CMD B_CMD: both print the same value, or the run stops
same() {
  local a b
  a=$(value "$1")
  b=$(value "$2")
  [[ -n $a && $a == "$b" ]] || { echo "sum-bench: '$1' printed $a but '$2' printed $b" >&2; exit 1; }
}

# pair NAME IMAGE INTACT_ARGS PEER_LABEL PEER_CMD CHECK: times Intact and its peer on IMAGE
pair() {
  local name=$1 image=$2 args=$3 peer_label=$4 peer_cmd=$5 check=$6 f="$dir/$2"
  [[ $pairs == *" $name "* ]] || return 0
  [[ $check == check ]] && same "$intact sum $args $f" "$peer_cmd"
  time_cmd "intact $name" "$image" "$intact sum $args $f"
  [[ -n $peer_cmd ]] && time_cmd "$peer_label" "$image" "$peer_cmd"
  return 0
}

images=${IMAGES:-full-4g.raw half-4g.raw zero-4g.raw empty-100g.raw empty-1t.raw half-4g.qcow2}
for image in $images; do
  f="$dir/$image"
  [[ -e $f ]] || { echo "sum-bench: $f is missing (make-images.sh makes qcow2 images only with qemu-img)" >&2; exit 1; }
  case $image in
    empty-* | *.qcow2)
      pair blkhash "$image" "" blksum "$blksum $f" check
      if [[ $image == *.qcow2 && $pairs == *" blkhash "* ]]; then
        # blksum's default has its qemu-nbd read the file with O_DIRECT (--cache=none: the disk,
        # not the warm page cache); Intact reads through the page cache. This row is
        # blksum on the same footing (--cache: qemu-nbd --cache=writeback).
        time_cmd "blksum --cache" "$image" "$blksum --cache $f"
      fi
      pair imageio "$image" "-a imageio" "" "" no
      ;;
    *)
      cat "$f" > /dev/null   # into the page cache
      pair blkhash "$image" "" blksum "$blksum $f" check
      pair imageio "$image" "-a imageio" "b2sum -l 256" "b2sum -l 256 $f" no
      pair sha256 "$image" "-a sha256" sha256sum "sha256sum $f" check
      pair blake2b "$image" "-a blake2b-256" "b2sum -l 256" "b2sum -l 256 $f" check
      pair xxh3 "$image" "-a xxh3" "xxhsum -H3" "xxhsum -H3 $f" check
      pair crc32c "$image" "-a crc32c" "rhash --crc32c" "rhash --crc32c $f" check
      pair blake3 "$image" "-a blake3" b3sum "b3sum $f" check
      ;;
  esac
done
echo "sum-bench: load average after $(cut -d' ' -f1-3 /proc/loadavg)" >&2

python3 - "$results" "$dir" <<'PY'
import sys, os, collections
rows = [l.rstrip("\n").split("\t", 5) for l in open(sys.argv[1]) if l.strip()]
t = collections.OrderedDict()
for image, label, median, cpu, rss, cmd in rows:
    t[(image, label)] = (float(median), float(cpu), int(rss or 0))
pairs = {"intact blkhash": "blksum", "intact sha256": "sha256sum", "intact imageio": "b2sum -l 256",
         "intact blake2b": "b2sum -l 256", "intact xxh3": "xxhsum -H3",
         "intact crc32c": "rhash --crc32c", "intact blake3": "b3sum"}
print("| image | Intact | s | CPU s | GB/s | peak RSS MiB | peer | s | CPU s | Intact÷peer speed |")
print("|---|---|---:|---:|---:|---:|---|---:|---:|---:|")
for image in dict.fromkeys(k[0] for k in t):
    path = os.path.join(sys.argv[2], image)
    # a qcow2's guest size, not its file size, is what was hashed
    size = os.path.getsize(path.replace(".qcow2", ".raw")) if image.endswith(".qcow2") else os.path.getsize(path)
    for label in [k[1] for k in t if k[0] == image and k[1].startswith("intact")]:
        s, cpu, rss = t[(image, label)]
        peer = pairs.get(label)
        if peer and (image, peer) in t:
            ps, pcpu, _ = t[(image, peer)]
            print(f"| {image} | {label} | {s:.3f} | {cpu:.3f} | {size/s/1e9:.2f} | {rss/1024:.0f} | {peer} | {ps:.3f} | {pcpu:.3f} | {ps/s:.2f}× |")
        else:
            print(f"| {image} | {label} | {s:.3f} | {cpu:.3f} | {size/s/1e9:.2f} | {rss/1024:.0f} | — | | | |")
for (image, label), (s, cpu, _) in t.items():
    i = t.get((image, "intact blkhash"))
    if label == "blksum --cache" and i:
        print(f"\n{image}, blksum --cache (page cache, as Intact): {s:.3f} s, CPU {cpu:.3f} s;"
              f" Intact÷peer speed {s/i[0]:.2f}×, Intact's CPU {i[1]/cpu:.2f}× blksum's")
f, h = t.get(("full-4g.raw", "intact blkhash")), t.get(("half-4g.raw", "intact blkhash"))
if f and h:
    print(f"\n50 %-holes vs random data, default blkhash: {f[0]/h[0]:.2f}× faster")
PY
