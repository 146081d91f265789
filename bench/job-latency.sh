#!/usr/bin/env bash
# How long the daemon takes to answer small requests while a checksum job hashes a large image:
# the job reads and hashes for seconds, and `OPTIONS` on another ticket, the cheapest request there
# is, is timed every 0.1 s meanwhile with curl.
#
#   bench/job-latency.sh [SIZE] [CPUS]     e.g. bench/job-latency.sh 4G 0     (defaults 2G, all)
#
# CPUS, if given, pins the daemon to those CPUs (taskset -c): with one, its JVM has one carrier
# thread for the virtual threads requests run on. INTACT=path/to/bin/intact runs another build (a
# before/after pair: the same script, the same machine, one after the other). DIR defaults to
# /tmp/intact-job-latency. Needs curl, python3, taskset (util-linux).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
intact=${INTACT:-$(dirname "$here")/bin/intact}
size=${1:-2G}; cpus=${2:-}
dir=${DIR:-/tmp/intact-job-latency}
for tool in curl python3 taskset; do
  command -v "$tool" > /dev/null || { echo "job-latency: $tool is missing" >&2; exit 1; }
done
"$intact" --version > /dev/null   # builds the CLI and its AOT cache outside the timings
mkdir -p "$dir/root" "$dir/state"
img=$dir/root/big.raw
bytes=$(python3 -c 'import sys; s=sys.argv[1]; m={"K":1<<10,"M":1<<20,"G":1<<30}; print(int(s[:-1])*m[s[-1]] if s[-1] in m else int(s))' "$size")
if [ ! -f "$img" ] || [ "$(stat -c %s "$img")" != "$bytes" ]; then
  head -c "$bytes" /dev/urandom > "$img"
fi
small=$dir/root/small.raw; truncate -s 1M "$small"
pin=(); [ -n "$cpus" ] && pin=(taskset -c "$cpus")
. "$here/daemon.sh"
start_daemon "$intact" "$dir" "${pin[@]}"
ticket() {
  "$intact" ticket add "${control_args[@]}" --timeout 3600 --data-url "https://127.0.0.1:$port/images/" "$1"
}
big_url=$(ticket "$img"); small_url=$(ticket "$small")
c=(curl -sS --fail --cacert "$cert")
cat "$img" > /dev/null   # page cache warm: the job is bound by hashing, not the disk
for _ in 1 2 3; do "${c[@]}" -X OPTIONS "$small_url" > /dev/null; done   # warm the request path

job=$("${c[@]}" -X POST -H 'Content-Type: application/json' \
  -d '{"start_offset":0,"end_offset":0,"checksum_algorithm":"blkhash"}' "$big_url/checksum-jobs" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')
t0=$(date +%s.%N)
times=()
while :; do
  times+=("$("${c[@]}" -o /dev/null -w '%{time_total}' -X OPTIONS "$small_url")")
  status=$("${c[@]}" "$big_url/checksum-jobs/$job" | python3 -c 'import json,sys; print(json.load(sys.stdin)["execution_status"])')
  [ "$status" = running ] || break
  sleep 0.1
done
t1=$(date +%s.%N)
[ "$status" = finished ] || { echo "job-latency: the job $status" >&2; exit 1; }
python3 - "$t0" "$t1" "${times[@]}" <<'PY'
import statistics, sys
t0, t1, times = float(sys.argv[1]), float(sys.argv[2]), sorted(float(x) * 1000 for x in sys.argv[3:])
print(f"job {t1 - t0:.2f} s; OPTIONS during it: {len(times)} answered, median {statistics.median(times):.1f} ms, max {times[-1]:.1f} ms")
PY
