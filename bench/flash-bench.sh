#!/usr/bin/env bash
# Whole-process comparison of `intact flash` WITH read-back verification against `bmaptool copy`
# (which verifies only the source), against what a careful user does today (`bmaptool copy` then
# `dd iflag=direct | sha256sum` of the destination), and against the disk's floor for a read-back
# flash: `dd oflag=direct` of the mapped ranges, one fdatasync, then `dd iflag=direct` of them back
# (no hashing, nothing overlapped), and the same writes while as many bytes are read from the disk
# at once (the floor of a flash whose read-back overlaps its writing). All flash the standard half-4g image (4 GiB, 64 MiB of data then
# 64 MiB of hole, alternating) to a file, with the same bmap.
# Targets (issue 16): intact <= 1.0x bmaptool's time, and >= 1.5x faster than bmaptool + dd.
#
#   bench/flash-bench.sh [DIR] [ROUNDS]      (DIR default /tmp/intact-bench, ROUNDS default 5)
#
# A disk whose speed drifts within a run makes medians of separate batches disagree, so the
# commands run in ROUNDS rounds, each running every command once (the order reversed every other
# round), and what decides is the median over rounds of each round's ratio. Every run starts from
# a deleted destination and a `sync`, so write-back is timed, not hidden in the page cache; GNU
# time gives wall, CPU and peak RSS; /proc/diskstats gives what the disk did (requests, flushes).
# A last Intact run flashes full-4g.raw with a bmap of ONE range spanning the whole image, to show
# that memory does not grow with the range size. Every destination is compared with its image.
# Needs: GNU time, bmap-tools, python3 (Debian packages time bmap-tools python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-bench}
rounds=${2:-5}
for tool in /usr/bin/time bmaptool python3 cmp dd sha256sum; do
  command -v "$tool" >/dev/null || { echo "flash-bench: $tool is missing (apt-get install time bmap-tools python3 diffutils coreutils)" >&2; exit 1; }
done
"$here/make-images.sh" "$dir" >/dev/null
intact=${INTACT:-$root/bin/intact}
"$intact" --version >/dev/null   # builds the distribution outside the timings

image=$dir/half-4g.raw
bmap=$dir/half-4g.raw.bmap
[[ -s $bmap ]] || bmaptool create -o "$bmap" "$image"
full=$dir/full-4g.raw
fullbmap=$dir/full-4g.raw.bmap     # one range: blocks 0-1048575
[[ -s $fullbmap ]] || bmaptool create -o "$fullbmap" "$full"
dest=$dir/flash-dest.img
disk=$(basename "$(df --output=source "$dir" | tail -1)")   # its disk, for /proc/diskstats
[[ -e /sys/class/block/$disk/partition ]] && disk=$(basename "$(readlink -f "/sys/class/block/$disk/..")")

out=$(mktemp -d)
trap 'rm -rf "$out"; rm -f "$dest" "$dest.intact-incomplete"' EXIT

# The floors, from the bmap's ranges. "floor": written with O_DIRECT, one fdatasync, read back
# with O_DIRECT, one after the other. "overlap": the same writes while as many bytes are read from
# the disk at once (the source's ranges with O_DIRECT, a stand-in for reading back what was just
# written), then one fdatasync: the disk's time for any flash whose read-back overlaps its writing.
floor_script() { # MODE (serial | overlap)
  python3 - "$1" "$bmap" "$image" "$dest" <<'PY'
import re, sys
mode, bmap, image, dest = sys.argv[1:]
text = open(bmap).read()
block = int(re.search(r"<BlockSize>\s*(\d+)", text).group(1))
size = int(re.search(r"<ImageSize>\s*(\d+)", text).group(1))
ranges = []
for m in re.finditer(r"<Range[^>]*>\s*(\d+)(?:-(\d+))?\s*</Range>", text):
    first = int(m.group(1)); last = int(m.group(2) or first)
    ranges.append((first * block, min((last + 1) * block, size)))
dd = "dd bs=4M status=none iflag=skip_bytes,count_bytes"
writes = [f"{dd} if={image} of={dest} oflag=direct,seek_bytes conv=notrunc skip={s} seek={s} count={e - s}"
          for s, e in ranges]
print("set -e")
print(f"truncate -s {size} {dest}")
if mode == "serial":
    print("\n".join(writes))
    print(f"sync -d {dest}")
    for s, e in ranges:
        print(f"{dd},direct if={dest} skip={s} count={e - s} of=/dev/null")
else:
    print("( " + " && ".join(writes) + " ) &")
    print("writer=$!")
    print("( " + " && ".join(f"{dd},direct if={image} skip={s} count={e - s} of=/dev/null" for s, e in ranges) + " ) &")
    print("reader=$!")
    print("wait $writer; wait $reader")
    print(f"sync -d {dest}")
PY
}
floor_script serial >"$out/floor.sh"
floor_script overlap >"$out/overlap.sh"

prepare() { rm -f "$dest" "$dest.intact-incomplete"; sync; }
names=(intact bmaptool careful floor overlap)
declare -A cmd=(
  [intact]="$intact flash --bmap $bmap --verify-readback $image $dest"
  [bmaptool]="bmaptool -q copy --bmap $bmap $image $dest"
  [careful]="bmaptool -q copy --bmap $bmap $image $dest && dd if=$dest iflag=direct bs=4M status=none | sha256sum"
  [floor]="bash $out/floor.sh"
  [overlap]="bash $out/overlap.sh"
)
diskstats() { awk -v d="$disk" '$3 == d { print $4, $8, $18 }' /proc/diskstats; } # reads writes flushes

run() { # NAME ROUND IMAGE: one timed run from a fresh destination; appends a line to $out/runs
  local name=$1 round=$2 img=$3 c=$4
  prepare
  local before after
  before=$(diskstats)
  /usr/bin/time -f '%e %U %S %M' -o "$out/time" bash -c "$c >/dev/null 2>&1" \
    || { echo "flash-bench: '$c' failed" >&2; exit 1; }
  after=$(diskstats)
  cmp -s "$img" "$dest" || { echo "flash-bench: '$c' did not reproduce $img" >&2; exit 1; }
  echo "$name $round $(cat "$out/time") $before $after" >>"$out/runs"
  echo "flash-bench: round $round $name $(cut -d' ' -f1 "$out/time") s" >&2
}

# Untimed: the launcher trains its AOT cache on the first flash after a build.
prepare; ${cmd[intact]} >/dev/null 2>&1

for round in $(seq 1 "$rounds"); do
  order=("${names[@]}")
  if (( round % 2 == 0 )); then order=(overlap floor careful bmaptool intact); fi
  for n in "${order[@]}"; do run "$n" "$round" "$image" "${cmd[$n]}"; done
done
run one-range 0 "$full" "$intact flash --bmap $fullbmap --verify-readback $full $dest"

python3 - "$out/runs" <<'PY'
import statistics as st, sys
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    name, rnd, wall, user, sys_, rss = f[0], int(f[1]), *map(float, f[2:6])
    r0, w0, fl0, r1, w1, fl1 = map(int, f[6:12]) if len(f) >= 12 else (0,) * 6
    runs.setdefault(name, {})[rnd] = dict(wall=wall, cpu=(user, sys_), rss=rss / 1024,
        reqs=(r1 - r0, w1 - w0), flushes=fl1 - fl0)
med = lambda xs: st.median(xs)
label = {
    "intact": "intact flash --verify-readback (half-4g, 2 GiB mapped)",
    "bmaptool": "bmaptool copy (source verification only)",
    "careful": "bmaptool copy + dd iflag=direct \\| sha256sum",
    "floor": "floor: dd oflag=direct of the ranges, fdatasync, dd iflag=direct back",
    "overlap": "floor, overlapped: dd oflag=direct of the ranges while as many bytes are read with iflag=direct, fdatasync",
}
print("| command | median s | min s | max s | CPU s (user + sys, median) | peak RSS MiB | disk reads + writes, flushes (median) |")
print("|---|---|---|---|---|---|---|")
for n, l in label.items():
    rs = list(runs[n].values())
    w = [r["wall"] for r in rs]
    print(f"| {l} | {med(w):.2f} | {min(w):.2f} | {max(w):.2f} | "
          f"{med(r['cpu'][0] for r in rs):.2f} + {med(r['cpu'][1] for r in rs):.2f} | "
          f"{max(r['rss'] for r in rs):.0f} | {med(r['reqs'][0] for r in rs):.0f} + "
          f"{med(r['reqs'][1] for r in rs):.0f}, {med(r['flushes'] for r in rs):.0f} |")
print(f"| intact flash --verify-readback (full-4g, ONE 4 GiB range) | {runs['one-range'][0]['wall']:.2f} | | | "
      f"{runs['one-range'][0]['cpu'][0]:.2f} + {runs['one-range'][0]['cpu'][1]:.2f} | {runs['one-range'][0]['rss']:.0f} | |")
print()
rounds = sorted(runs["intact"])
ratio = lambda a, b: [runs[a][r]["wall"] / runs[b][r]["wall"] for r in rounds]
ib, ci, fb = ratio("intact", "bmaptool"), ratio("careful", "intact"), ratio("floor", "bmaptool")
fmt = lambda xs: " ".join(f"{x:.2f}" for x in xs)
print(f"Per round, Intact / bmaptool:        {fmt(ib)}  median {med(ib):.2f} (target <= 1.0)")
print(f"Per round, bmaptool + dd / Intact:   {fmt(ci)}  median {med(ci):.2f} (target >= 1.5)")
print(f"Per round, floor / bmaptool:         {fmt(fb)}  median {med(fb):.2f}")
print(f"Per round, Intact / floor:           {fmt(ratio('intact', 'floor'))}  median {med(ratio('intact', 'floor')):.2f}")
ob = ratio("overlap", "bmaptool")
print(f"Per round, overlapped floor / bmaptool: {fmt(ob)}  median {med(ob):.2f} (above 1: the target is below the disk's floor)")
print(f"Per round, Intact / overlapped floor: {fmt(ratio('intact', 'overlap'))}  median {med(ratio('intact', 'overlap')):.2f}")
PY
