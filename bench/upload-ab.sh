#!/usr/bin/env bash
# Two builds' clients, alternating, against one daemon: verified uploads of one source, a fresh
# destination and ticket per run (the ticket removed after it), wall time and client CPU of each.
# The first round of each warms the page cache and the daemon, and is not printed.
#
#   bench/upload-ab.sh ROUNDS SOURCE A_INTACT B_INTACT
#   e.g. bench/upload-ab.sh 3 /tmp/intact-transfer-bench/full.raw /work/before/bin/intact bin/intact
#
# DAEMON=path/to/bin/intact serves (default A's). PIN=1 pins the daemon to CPU 0 and the clients to
# CPU 1 (taskset), a stand-in for two machines. PREALLOC=1 fallocates each destination instead of
# leaving it sparse. DIR defaults to /tmp/intact-upload-ab. Needs GNU time (/usr/bin/time), taskset.
set -uo pipefail
rounds=${1:?ROUNDS}; src=${2:?SOURCE}; A=${3:?A_INTACT}; B=${4:?B_INTACT}
daemon_bin=${DAEMON:-$A}
dir=${DIR:-/tmp/intact-upload-ab}
rm -rf "$dir"; mkdir -p "$dir/root" "$dir/state"
bytes=$(stat -c %s "$src")
pd=(); pc=()
[ -n "${PIN:-}" ] && { pd=(taskset -c 0); pc=(taskset -c 1); }
"$A" --version > /dev/null; "$B" --version > /dev/null   # builds and AOT caches outside the timings
. "$(dirname "$0")/daemon.sh"
start_daemon "$daemon_bin" "$dir" "${pd[@]}"
cat "$src" > /dev/null
for ((i = 0; i <= rounds; i++)); do
  for side in A B; do
    bin=${!side}
    dst=$dir/root/dst.raw
    rm -f "$dst"
    if [ -n "${PREALLOC:-}" ]; then fallocate -l "$bytes" "$dst"; else truncate -s "$bytes" "$dst"; fi
    url=$("$daemon_bin" ticket add "${control_args[@]}" --write --timeout 7200 \
      --data-url "https://127.0.0.1:$port/images/" "$dst")
    start=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S' -o "$dir/time" "${pc[@]}" "$bin" upload --no-progress \
      --cafile "$cert" "$src" "$url" > "$dir/client.log" 2>&1; then
      echo "round $i $side FAILED: $(grep '^intact:' "$dir/client.log" | tail -1)"
    elif [ "$i" -gt 0 ]; then
      read -r user sys < <(tail -n 1 "$dir/time")
      echo "round $i $side $(( ($(date +%s%N) - start) / 1000000 )) ms, client CPU ${user} + ${sys} s"
    fi
    "$daemon_bin" ticket remove "${control_args[@]}" "${url##*/}" > /dev/null
  done
done
