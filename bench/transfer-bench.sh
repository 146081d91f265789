#!/usr/bin/env bash
# Verified upload over loopback TLS against `curl -T` (an unverified PUT) to the same daemon, a
# 50 %-holes image against a full one, and the peak RSS of daemon and client.
#
#   bench/transfer-bench.sh [DIR] [SIZE]     (DIR default /tmp/intact-transfer-bench, SIZE 4G)
#
# Every run happens in this one script on this machine, page cache warm (the images are read once
# before timing). Upload destinations are fresh sparse files; the daemon fsyncs and, for verified
# uploads, reads the destination back with O_DIRECT for the checksum job: that is part of the
# measured time, as it is of the job a user runs. Needs: curl, GNU time (/usr/bin/time), python3.
#
# Also measured, as floors for the targets: the same verified upload done by the cheapest client
# there is, whatever its language: four parallel `curl` PUTs of quarter ranges (?flush=n), one
# flush, then the daemon's checksum job with crc32c (the cheapest algorithm). No client hashing,
# OpenSSL instead of Java TLS. No verified upload through this daemon can beat that on this
# machine: the flush and the O_DIRECT read-back after it are the same for every client.
#
# The full verified upload's time is also split, from the daemon's access log, into sending (its
# PUTs), the final flush and the checksum job: what verification adds is the last two.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-transfer-bench}
size=${2:-4G}
for tool in curl /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "transfer-bench: $tool is missing (apt-get install curl time python3)" >&2; exit 1; }
done
intact="$root/bin/intact"
"$intact" --version >/dev/null   # builds the CLI and its AOT cache outside the timings

mkdir -p "$dir/root" "$dir/state"
bytes=$(python3 -c 'import sys; s=sys.argv[1]; m={"K":1<<10,"M":1<<20,"G":1<<30}; print(int(s[:-1])*m[s[-1]] if s[-1] in m else int(s))' "$size")
full=$dir/full.raw
half=$dir/half.raw
if [ ! -f "$full" ] || [ "$(stat -c %s "$full")" != "$bytes" ]; then
  echo "transfer-bench: writing $size of random data to $full" >&2
  head -c "$bytes" /dev/urandom > "$full"
fi
if [ ! -f "$half" ] || [ "$(stat -c %s "$half")" != "$bytes" ]; then
  # 64 MiB of data, then a 64 MiB hole, and so on: half the image is holes.
  rm -f "$half"
  truncate -s "$bytes" "$half"
  step=$((64 << 20)); n=$((bytes / step))
  for ((i = 0; i < n; i += 2)); do
    dd if="$full" of="$half" bs=1M count=64 skip=$((i * 64)) seek=$((i * 64)) conv=notrunc,sparse status=none
  done
fi
# Quarter ranges for the floors: four of 1/4 of the image (full), four of 1/8 (half the data).
if [ ! -f "$dir/q.3" ] || [ "$(stat -c %s "$dir/q.3")" != $((bytes / 4)) ]; then
  for i in 0 1 2 3; do
    dd if="$full" of="$dir/q.$i" bs=1M skip=$((i * bytes / 4 >> 20)) count=$((bytes / 4 >> 20)) status=none
    dd if="$full" of="$dir/e.$i" bs=1M skip=$((i * bytes / 4 >> 20)) count=$((bytes / 8 >> 20)) status=none
  done
fi
cat "$full" "$half" "$dir"/q.? "$dir"/e.? > /dev/null   # page cache warm

log=$dir/daemon.log
. "$here/daemon.sh"
start_daemon "$intact" "$dir"

# ticket NAME: a fresh sparse destination and a write ticket for it; prints the data URL
ticket() {
  local dst=$dir/root/$1
  rm -f "$dst"; truncate -s "$bytes" "$dst"
  "$intact" ticket add "${control_args[@]}" \
    --write --timeout 7200 --inactivity-timeout 600 \
    --data-url "https://127.0.0.1:$port/images/" "$dst"
}

declare -A secs rss cpu dcpu
tick=$(getconf CLK_TCK)
# The daemon's CPU ticks so far (user + sys): both processes share this machine's cores.
daemon_ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
# run LABEL COMMAND...: wall seconds, CPU seconds (user + sys) and peak RSS (KiB) of the client,
# and the daemon's CPU seconds over the same run
run() {
  local label=$1; shift
  local t0 t1 out d0 d1
  out=$(mktemp)
  d0=$(daemon_ticks)
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M %U %S' -o "$out" "$@" > /dev/null
  t1=$(date +%s.%N)
  d1=$(daemon_ticks)
  secs[$label]=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  dcpu[$label]=$(python3 -c "print(f'{($d1 - $d0) / $tick:.2f}')")
  local peak user sys
  read -r peak user sys < <(tail -n 1 "$out")
  rss[$label]=$peak
  cpu[$label]=$(python3 -c "print(f'{$user + $sys:.2f}')")
  rm -f "$out"
  printf '  %-34s %8s s  %8s s client CPU  %8s s daemon CPU  %8s KiB client RSS\n' "$label" \
    "${secs[$label]}" "${cpu[$label]}" "${dcpu[$label]}" "${rss[$label]}" >&2
}

# floor LABEL PART-PREFIX: four parallel curl PUTs of the parts at each quarter of the image (the
# rest of each quarter zeroed), one flush, a crc32c checksum job; wall seconds into secs[LABEL]
floor() {
  local label=$1 prefix=$2 url t0 t1 i start part_size pids=() job status
  local curl_=(curl -sS --fail --cacert "$cert") d0 d1
  url=$(ticket floor.raw)
  d0=$(daemon_ticks)
  t0=$(date +%s.%N)
  for i in 0 1 2 3; do
    start=$((i * bytes / 4)); part_size=$(stat -c %s "$prefix.$i")
    "${curl_[@]}" -H "Content-Range: bytes $start-$((start + part_size - 1))/*" -T "$prefix.$i" \
      "$url?flush=n" > /dev/null &
    pids+=($!)
  done
  wait "${pids[@]}"
  for i in 0 1 2 3; do
    start=$((i * bytes / 4)); part_size=$(stat -c %s "$prefix.$i")
    if [ "$part_size" -lt $((bytes / 4)) ]; then
      "${curl_[@]}" -X PATCH -H 'Content-Type: application/json' \
        -d "{\"op\":\"zero\",\"offset\":$((start + part_size)),\"size\":$((bytes / 4 - part_size))}" "$url" > /dev/null
    fi
  done
  "${curl_[@]}" -X PATCH -H 'Content-Type: application/json' -d '{"op":"flush"}' "$url" > /dev/null
  job=$("${curl_[@]}" -X POST -H 'Content-Type: application/json' \
    -d '{"start_offset":0,"end_offset":0,"checksum_algorithm":"crc32c"}' "$url/checksum-jobs" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
  while :; do
    status=$("${curl_[@]}" "$url/checksum-jobs/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["execution_status"])')
    [ "$status" = running ] || break
    sleep 0.05
  done
  [ "$status" = finished ] || { echo "transfer-bench: the floor's checksum job $status" >&2; exit 1; }
  t1=$(date +%s.%N)
  d1=$(daemon_ticks)
  secs[$label]=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  dcpu[$label]=$(python3 -c "print(f'{($d1 - $d0) / $tick:.2f}')")
  printf '  %-34s %8s s  %21s  %8s s daemon CPU\n' "$label" "${secs[$label]}" "" "${dcpu[$label]}" >&2
  rm -f "$dir/root/floor.raw"
}

echo "transfer-bench: $size over loopback TLS (port $port)" >&2
# The daemon is long-lived: warm its JIT on every path timed below (one curl PUT, a verified intact
# upload of the first 512 MiB, one floor run) so the first timed run does not meet a cold daemon.
curl -sS --fail --cacert "$cert" -T "$full" "$(ticket warm.raw)" > /dev/null
warm=$((bytes < 536870912 ? bytes : 536870912))
"$intact" upload --no-progress --cafile "$cert" --range "0-$warm" "$full" "$(ticket warm.raw)" > /dev/null
rm -f "$dir/root/warm.raw"
floor "warm-up floor" "$dir/q" > /dev/null 2>&1
run "curl -T (unverified PUT)" curl -sS --fail --cacert "$cert" -T "$full" "$(ticket curl.raw)"
# phases FROM-LINE: where a verified upload's time went, from the daemon's access log lines after
# FROM-LINE (one JSON object per request, logged as it ends): its PUTs (first start to last end),
# the client's final flush (the last PATCH before the checksum job) and the job (POST to DELETE,
# which includes up to one poll interval of the client's).
phases() {
  tail -n +"$1" "$log" | python3 -c '
import datetime, json, sys
ev = []
for line in sys.stdin:
    if "access - {" not in line:
        continue
    j = json.loads(line[line.index("{"):])
    end = datetime.datetime.fromisoformat(j["time"].replace("Z", "+00:00")).timestamp()
    ev.append((end - j["ms"] / 1000, end, j["method"], j["path"]))
puts = [e for e in ev if e[2] == "PUT"]
post = min(e[0] for e in ev if e[2] == "POST")
flush = max((e for e in ev if e[2] == "PATCH" and e[1] <= post), key=lambda e: e[1])
delete = max(e[1] for e in ev if e[2] == "DELETE" and "checksum-jobs" in e[3])
print(f"sending {max(e[1] for e in puts) - min(e[0] for e in puts):.2f} s, final flush "
      f"{flush[1] - flush[0]:.2f} s, checksum job {delete - post:.2f} s")'
}
from=$(($(wc -l < "$log") + 1))
run "intact upload full (verified)" "$intact" upload --no-progress --cafile "$cert" "$full" "$(ticket full.raw)"
full_phases=$(phases "$from" || echo "not found in the daemon log")
printf '  %-34s %s\n' "  of which (daemon log)" "$full_phases" >&2
run "intact upload 50% holes (verified)" "$intact" upload --no-progress --cafile "$cert" "$half" "$(ticket half.raw)"
floor "floor: 4x curl + crc32c job" "$dir/q"
floor "floor: same, 50 % data" "$dir/e"
run "intact upload full --no-verify" "$intact" upload --no-progress --no-verify --cafile "$cert" "$full" "$(ticket nv.raw)"
read_ticket() {
  "$intact" ticket add "${control_args[@]}" \
    --timeout 7200 --inactivity-timeout 600 \
    --data-url "https://127.0.0.1:$port/images/" "$dir/root/$1"
}
rm -f "$dir/down.raw"
run "intact download full (verified)" "$intact" download --no-progress --cafile "$cert" "$(read_ticket full.raw)" "$dir/down.raw"
rm -f "$dir/down.raw" "$dir"/root/*.raw
daemon_rss=$(awk '/VmHWM/ {print $2}' "/proc/$daemon/status")

python3 - "$bytes" "${secs[curl -T (unverified PUT)]}" "${secs[intact upload full (verified)]}" \
  "${secs[intact upload 50% holes (verified)]}" "${secs[intact upload full --no-verify]}" \
  "${rss[intact upload full (verified)]}" "$daemon_rss" "${secs[intact download full (verified)]}" \
  "${rss[intact download full (verified)]}" "${rss[intact upload full --no-verify]}" \
  "${rss[intact upload 50% holes (verified)]}" "${secs[floor: 4x curl + crc32c job]}" \
  "${secs[floor: same, 50 % data]}" "${cpu[curl -T (unverified PUT)]}" \
  "${cpu[intact upload full (verified)]}" "${cpu[intact upload full --no-verify]}" \
  "${dcpu[curl -T (unverified PUT)]}" "${dcpu[intact upload full (verified)]}" \
  "${dcpu[intact upload full --no-verify]}" "${dcpu[floor: 4x curl + crc32c job]}" "$full_phases" <<'PY'
import sys
b = int(sys.argv[1]); curl, full, half, nv = map(float, sys.argv[2:6]); crss, drss = int(sys.argv[6]), int(sys.argv[7])
down = float(sys.argv[8]); crss = max(crss, *map(int, sys.argv[9:12]))
floor_full, floor_half = float(sys.argv[12]), float(sys.argv[13])
cpu_curl, cpu_full, cpu_nv = map(float, sys.argv[14:17])
d_curl, d_full, d_nv, d_floor = map(float, sys.argv[17:21])
mb = lambda s: b / s / 1e6
print(f"| run | seconds | MB/s | client CPU s | daemon CPU s |")
print(f"|---|---|---|---|---|")
print(f"| curl -T (unverified PUT) | {curl:.2f} | {mb(curl):.0f} | {cpu_curl:.2f} | {d_curl:.2f} |")
print(f"| intact upload, verified | {full:.2f} | {mb(full):.0f} | {cpu_full:.2f} | {d_full:.2f} |")
print(f"| intact upload, --no-verify | {nv:.2f} | {mb(nv):.0f} | {cpu_nv:.2f} | {d_nv:.2f} |")
print(f"| intact upload, 50 % holes, verified | {half:.2f} | {mb(half):.0f} |")
print(f"| intact download, verified | {down:.2f} | {mb(down):.0f} |")
print(f"| floor: 4 parallel curl PUTs + flush + crc32c job | {floor_full:.2f} | {mb(floor_full):.0f} | | {d_floor:.2f} |")
print(f"| floor, 50 % data | {floor_half:.2f} | {mb(floor_half):.0f} |")
print()
print(f"verified upload / curl throughput: {curl / full:.2f}x (target >= 0.75)")
print(f"verified upload / floor throughput: {floor_full / full:.2f}x (issue 16 target >= 0.85)")
print(f"full / 50 %-holes time: {full / half:.2f}x (target >= 2)")
print(f"floors: {curl / floor_full:.2f}x curl for a verified upload by any client; full / 50 % data {floor_full / floor_half:.2f}x")
print(f"verified upload, where its time went: {sys.argv[21]}")
print(f"peak RSS: client {crss // 1024} MiB (largest of all intact runs), daemon {drss // 1024} MiB (target <= 512 MiB)")
PY
