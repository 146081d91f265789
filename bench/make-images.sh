#!/usr/bin/env bash
# Creates the standard benchmark images in DIR (default /tmp/intact-bench), skipping existing ones:
#   full-4g.raw     4 GiB deterministic pseudo-random data (no zero blocks)
#   half-4g.raw     4 GiB: 64 MiB data / 64 MiB hole, alternating, data first
#   zero-4g.raw     4 GiB allocated, all zero bytes (no holes)
#   empty-100g.raw  100 GiB sparse, no data
#   empty-1t.raw    1 TiB sparse, no data
#   half-4g.qcow2   qcow2 of half-4g.raw (only if qemu-img is installed)
# Copied from the project's shared bench helpers (with a pipefail fix for the random image).
# Needs about 10 GiB of free disk. Usage: make-images.sh [DIR]
set -euo pipefail
dir=${1:-/tmp/intact-bench}
mkdir -p "$dir"; cd "$dir"
if [[ ! -s full-4g.raw ]]; then
  # openssl dies of SIGPIPE when head has enough; under pipefail that status must not count.
  { openssl enc -aes-128-ctr -nosalt -pbkdf2 -pass pass:intact-bench </dev/zero 2>/dev/null || true; } \
    | head -c $((4 << 30)) > full-4g.raw.tmp
  [[ $(stat -c %s full-4g.raw.tmp) -eq $((4 << 30)) ]] || { echo "make-images: could not generate full-4g.raw" >&2; exit 1; }
  mv full-4g.raw.tmp full-4g.raw
fi
if [[ ! -s half-4g.raw ]]; then
  rm -f half-4g.raw.tmp; truncate -s 4G half-4g.raw.tmp
  for i in $(seq 0 2 63); do
    dd if=full-4g.raw of=half-4g.raw.tmp bs=64M skip="$i" seek="$i" count=1 conv=notrunc status=none
  done
  mv half-4g.raw.tmp half-4g.raw
fi
if [[ ! -s zero-4g.raw ]]; then
  fallocate -l 4G zero-4g.raw.tmp 2>/dev/null || dd if=/dev/zero of=zero-4g.raw.tmp bs=64M count=64 status=none
  # fallocate leaves unwritten extents that SEEK_DATA may report as data; write zeros to be sure they are real data.
  dd if=/dev/zero of=zero-4g.raw.tmp bs=64M count=64 conv=notrunc status=none
  mv zero-4g.raw.tmp zero-4g.raw
fi
[[ -e empty-100g.raw ]] || truncate -s 100G empty-100g.raw
[[ -e empty-1t.raw ]] || truncate -s 1T empty-1t.raw
if command -v qemu-img >/dev/null && [[ ! -s half-4g.qcow2 ]]; then
  qemu-img convert -f raw -O qcow2 half-4g.raw half-4g.qcow2
fi
sync
ls -ls "$dir"
