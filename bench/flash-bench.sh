#!/usr/bin/env bash
# Whole-process comparison of `intact flash` WITH read-back verification against `bmaptool copy`
# (which verifies only the source), and against what a careful user does today: `bmaptool copy`
# then `dd iflag=direct | sha256sum` of the destination. All flash the standard half-4g image
# (4 GiB, 64 MiB of data then 64 MiB of hole, alternating) to a file, with the same bmap.
# Targets (issue 16): intact <= 1.0x bmaptool's time, and >= 1.5x faster than bmaptool + dd.
#
#   bench/flash-bench.sh [DIR] [RUNS]      (DIR default /tmp/intact-bench, RUNS default 3)
#
# Same machine, same run: hyperfine gives the medians (each run starts from a deleted destination
# and a `sync`, so write-back is timed, not hidden in the page cache); GNU time gives peak RSS. A
# second Intact run flashes full-4g.raw with a bmap of ONE range spanning the whole image, to show
# that memory does not grow with the range size. Every destination is compared with its image.
# Needs: hyperfine, GNU time, bmap-tools, python3 (Debian packages hyperfine time bmap-tools python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-bench}
runs=${2:-3}
for tool in hyperfine /usr/bin/time bmaptool python3 cmp; do
  command -v "$tool" >/dev/null || { echo "flash-bench: $tool is missing (apt-get install hyperfine time bmap-tools python3 diffutils)" >&2; exit 1; }
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

out=$(mktemp -d)
trap 'rm -rf "$out"; rm -f "$dest" "$dest.intact-incomplete"' EXIT
json=$out/flash.json
prepare="rm -f $dest $dest.intact-incomplete; sync"
intact_cmd="$intact flash --bmap $bmap --verify-readback $image $dest"
bmaptool_cmd="bmaptool -q copy --bmap $bmap $image $dest"
careful_cmd="$bmaptool_cmd && dd if=$dest iflag=direct bs=4M status=none | sha256sum"

hyperfine --style basic --runs "$runs" --prepare "$prepare" --export-json "$json" \
  -n "intact flash (read-back)" "$intact_cmd" \
  -n "bmaptool copy" "$bmaptool_cmd" \
  -n "bmaptool copy + dd | sha256sum" "$careful_cmd" >&2

rss() { # peak RSS in KiB of COMMAND, from a fresh destination; checks the result
  eval "$prepare"
  /usr/bin/time -f '%M' -o "$out/rss" bash -c "$1 >/dev/null 2>&1"
  cmp -s "$2" "$dest" || { echo "flash-bench: '$1' did not reproduce $2" >&2; exit 1; }
  cat "$out/rss"
}
rss_intact=$(rss "$intact_cmd" "$image")
rss_bmaptool=$(rss "$bmaptool_cmd" "$image")
rss_one_range=$(rss "$intact flash --bmap $fullbmap --verify-readback $full $dest" "$full")

python3 - "$json" "$rss_intact" "$rss_bmaptool" "$rss_one_range" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
i, b = res["intact flash (read-back)"], res["bmaptool copy"]
c = res["bmaptool copy + dd | sha256sum"]
cpu = lambda r: f"{r['user']:.2f} + {r['system']:.2f}"
print("| command | median s | min s | max s | CPU s (user + sys, mean) | peak RSS MiB |")
print("|---|---|---|---|---|---|")
print(f"| intact flash --verify-readback (half-4g, 2 GiB mapped) | {i['median']:.2f} | {i['min']:.2f} | {i['max']:.2f} | {cpu(i)} | {int(sys.argv[2])/1024:.0f} |")
print(f"| bmaptool copy (half-4g, source verification only) | {b['median']:.2f} | {b['min']:.2f} | {b['max']:.2f} | {cpu(b)} | {int(sys.argv[3])/1024:.0f} |")
print(f"| bmaptool copy + dd iflag=direct \\| sha256sum | {c['median']:.2f} | {c['min']:.2f} | {c['max']:.2f} | {cpu(c)} | |")
print(f"| intact flash --verify-readback (full-4g, ONE 4 GiB range) | | | | | {int(sys.argv[4])/1024:.0f} |")
print()
print(f"Intact time / bmaptool time = {i['median']/b['median']:.2f} (target <= 1.0)")
print(f"bmaptool + dd time / Intact time = {c['median']/i['median']:.2f} (target >= 1.5)")
PY
