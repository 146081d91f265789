#!/usr/bin/env bash
# NBD benchmark, every number from this one run on this one machine (page cache warm):
#   1. `intact sum` of the 50 %-holes 4 GiB image as qcow2 (read through qemu-nbd) vs the raw
#      file itself. Target: qcow2 at >= 0.8x the raw throughput.
#      Floor for that ratio: the raw sum while `nbdcopy` (libnbd, C) pulls the qcow2's guest data
#      from a qemu-nbd to null at the same time. Any sum through qemu-nbd must do at least both of
#      these (qemu-nbd's decoding and serving, a socket read into the process, the same hashing),
#      so on this machine's cores it cannot be faster than the two run side by side.
#   2. `nbdcopy` of the same raw file to null: from `intact serve-nbd` vs from `nbdkit file`.
#      Target: Intact's server at >= 0.8x nbdkit's throughput.
#
#   bench/nbd-bench.sh [DIR] [RUNS]      (DIR default /tmp/intact-bench, RUNS default 5)
#
# Needs: hyperfine, qemu-utils, nbdkit, libnbd-bin (Debian packages of those names), python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-bench}
runs=${2:-5}
for tool in hyperfine qemu-img qemu-nbd nbdkit nbdcopy python3; do
  command -v "$tool" >/dev/null || { echo "nbd-bench: $tool is missing (apt-get install hyperfine qemu-utils nbdkit libnbd-bin python3)" >&2; exit 1; }
done
"$here/make-images.sh" "$dir" >/dev/null
intact="$root/bin/intact"
"$intact" --version >/dev/null   # builds the CLI outside the timings

raw="$dir/half-4g.raw"
qcow2="$dir/half-4g.qcow2"
out=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$out"
}
trap cleanup EXIT

median() { # COMMAND -> median seconds over $runs runs after one warm-up
  hyperfine --style none --warmup 1 --runs "$runs" --export-json "$out/h.json" "$1" >/dev/null 2>&1 \
    || { echo "nbd-bench: '$1' failed" >&2; exit 1; }
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$out/h.json"
}

# Same checksum first: a fast wrong answer is no answer.
a=$("$intact" sum "$raw" | cut -d' ' -f1)
b=$("$intact" sum "$qcow2" | cut -d' ' -f1)
[[ "$a" == "$b" ]] || { echo "nbd-bench: raw and qcow2 checksums differ ($a vs $b)" >&2; exit 1; }

cat "$raw" > /dev/null
sum_raw=$(median "$intact sum $raw")
sum_qcow2=$(median "$intact sum $qcow2")
qemu-nbd --read-only --persistent -f qcow2 -k "$out/qemu.sock" "$qcow2" &
pids+=($!)
for _ in $(seq 1 100); do [[ -S "$out/qemu.sock" ]] && break; sleep 0.1; done
[[ -S "$out/qemu.sock" ]] || { echo "nbd-bench: qemu-nbd did not start" >&2; exit 1; }
floor=$(median "bash -c 'nbdcopy \"nbd+unix:///?socket=$out/qemu.sock\" null: & $intact sum $raw >/dev/null; wait'")

"$intact" serve-nbd --read-only --socket "$out/intact.sock" "$raw" > "$out/serve.out" 2>&1 &
pids+=($!)
nbdkit -f -U "$out/nbdkit.sock" file "$raw" &
pids+=($!)
for _ in $(seq 1 300); do
  [[ -S "$out/intact.sock" && -S "$out/nbdkit.sock" && -s "$out/serve.out" ]] && break
  sleep 0.1
done
[[ -S "$out/intact.sock" && -S "$out/nbdkit.sock" ]] || { echo "nbd-bench: servers did not start: $(cat "$out/serve.out")" >&2; exit 1; }
copy_intact=$(median "nbdcopy 'nbd+unix:///?socket=$out/intact.sock' null:")
copy_nbdkit=$(median "nbdcopy 'nbd+unix:///?socket=$out/nbdkit.sock' null:")

python3 - "$sum_raw" "$sum_qcow2" "$copy_intact" "$copy_nbdkit" "$(stat -c %s "$raw")" "$floor" <<'PY'
import sys
sum_raw, sum_qcow2, copy_intact, copy_nbdkit, size, floor = map(float, sys.argv[1:])
gb = size / 1e9
print("| what | s (median) | GB/s of image | ratio | target |")
print("|---|---:|---:|---:|---|")
print(f"| intact sum half-4g.raw | {sum_raw:.3f} | {gb/sum_raw:.2f} | | |")
print(f"| intact sum half-4g.qcow2 (qemu-nbd) | {sum_qcow2:.3f} | {gb/sum_qcow2:.2f} | {sum_raw/sum_qcow2:.2f}x raw | >= 0.8x |")
print(f"| floor: sum of the raw file while nbdcopy reads the qcow2 through qemu-nbd | {floor:.3f} | {gb/floor:.2f} | {sum_raw/floor:.2f}x raw | the best any qemu-nbd path can reach here |")
print(f"| nbdcopy from nbdkit file | {copy_nbdkit:.3f} | {gb/copy_nbdkit:.2f} | | |")
print(f"| nbdcopy from intact serve-nbd | {copy_intact:.3f} | {gb/copy_intact:.2f} | {copy_nbdkit/copy_intact:.2f}x nbdkit | >= 0.8x |")
PY
