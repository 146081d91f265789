#!/usr/bin/env bash
# fio (ioengine=nbd) against `intact volume serve` and against `intact serve-nbd` of a raw file
# of the same size, in the same run: sequential 1 MiB write and read (iodepth 4), 4 KiB random
# write and read (iodepth 16), with crc32c tags, then the volume with sha256 and hmac-sha256 tags.
# Prints MiB/s per server and job, the ratio to raw, each server's peak RSS (VmHWM), and per job the
# server's CPU time (user+sys) per GiB moved, which a loaded machine skews less than MiB/s.
#
#   bench/volume-bench.sh [DIR] [SIZE] [SECONDS]   (defaults /tmp/intact-bench, 1G, 20)
#
# Needs: fio (with its nbd engine), python3 (Debian packages fio python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-bench}
size=${2:-1G}
seconds=${3:-20}
for tool in fio python3; do
  command -v "$tool" >/dev/null || { echo "volume-bench: $tool is missing (apt-get install fio python3)" >&2; exit 1; }
done
fio --enghelp=nbd >/dev/null 2>&1 || { echo "volume-bench: this fio has no nbd engine (Debian's fio has)" >&2; exit 1; }
intact=${INTACT:-$root/bin/intact}
"$intact" --version >/dev/null   # builds the distribution outside the timings
mkdir -p "$dir"
out=$(mktemp -d)
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  rm -rf "$out"
  rm -f "$dir/bench.vol" "$dir/bench.raw" "$dir/bench.key"
}
trap cleanup EXIT
head -c 32 /dev/urandom > "$dir/bench.key"

# start_server NAME COMMAND...: starts it, waits for its URI line, sets $server and $uri.
start_server() {
  local name=$1; shift
  rm -f "$out/$name.sock"
  "$@" --socket "$out/$name.sock" > "$out/$name.uri" 2> "$out/$name.err" &
  server=$!
  for _ in $(seq 600); do
    [[ -s $out/$name.uri ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$out/$name.err" >&2; exit 1; }
    sleep 0.1
  done
  uri="nbd+unix:///?socket=$out/$name.sock"
}

stop_server() {
  local name=$1
  grep VmHWM "/proc/$server/status" | awk '{print $2}' > "$out/$name.rss"
  kill -TERM "$server"; wait "$server" || true; server=
}

# The server's CPU time so far, user + sys, in clock ticks (/proc/PID/stat fields 14 and 15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }

# job NAME JOB FIO-ARGS...: one fio job against $uri, its JSON in $out/NAME-JOB.json and the
# server's CPU ticks during it in $out/NAME-JOB.cpu
job() {
  local name=$1 job=$2; shift 2
  local before; before=$(cpu_ticks)
  fio --ioengine=nbd --uri="$uri" --size="$size" --output-format=json --name=j "$@" \
    > "$out/$name-$job.json"
  echo $(( $(cpu_ticks) - before )) > "$out/$name-$job.cpu"
}

# run_jobs NAME: the four fio jobs against $uri
run_jobs() {
  local name=$1
  job "$name" seqwrite --rw=write --bs=1M --iodepth=4 --end_fsync=1
  job "$name" seqread --rw=read --bs=1M --iodepth=4
  job "$name" randwrite --rw=randwrite --bs=4k --iodepth=16 --time_based --runtime="$seconds" \
    --end_fsync=1
  job "$name" randread --rw=randread --bs=4k --iodepth=16 --time_based --runtime="$seconds"
}

rm -f "$dir/bench.raw" && truncate -s "$size" "$dir/bench.raw"
start_server raw "$intact" serve-nbd "$dir/bench.raw"
run_jobs raw
stop_server raw
rm -f "$dir/bench.raw"

for tag in crc32c sha256 hmac-sha256; do
  rm -f "$dir/bench.vol"
  key=()
  [[ $tag == hmac-sha256 ]] && key=(--key-file "$dir/bench.key")
  "$intact" volume create "$dir/bench.vol" --size "$size" --tag "$tag" "${key[@]}" >/dev/null
  start_server "$tag" "$intact" volume serve "$dir/bench.vol" "${key[@]}"
  run_jobs "$tag"
  stop_server "$tag"
  "$intact" volume check "$dir/bench.vol" "${key[@]}" >/dev/null
done

python3 - "$out" "$(getconf CLK_TCK)" <<'PY'
import json, sys, os
out, hz = sys.argv[1], int(sys.argv[2])
jobs = ["seqwrite", "seqread", "randwrite", "randread"]
def result(name, job):
    text = open(os.path.join(out, f"{name}-{job}.json")).read()
    j = json.loads(text[text.index("{"):])["jobs"][0]  # fio may print notes before the JSON
    return j["write" if "write" in job else "read"]
def bw(name, job):
    return result(name, job)["bw_bytes"] / 2**20
def cpu_per_gib(name, job):
    ticks = int(open(os.path.join(out, f"{name}-{job}.cpu")).read())
    return ticks / hz / (result(name, job)["io_bytes"] / 2**30)
raw = {job: bw("raw", job) for job in jobs}
raw_cpu = {job: cpu_per_gib("raw", job) for job in jobs}
print("| server | " + " | ".join(f"{j} MiB/s (x raw)" for j in jobs) + " | peak RSS MiB |")
print("|---|" + "---|" * (len(jobs) + 1))
for name in ["raw", "crc32c", "sha256", "hmac-sha256"]:
    cells = []
    for job in jobs:
        v = bw(name, job)
        cells.append(f"{v:.0f}" if name == "raw" else f"{v:.0f} ({v / raw[job]:.2f}x)")
    rss = int(open(os.path.join(out, f"{name}.rss")).read()) / 1024
    label = "serve-nbd raw" if name == "raw" else f"volume {name}"
    print(f"| {label} | " + " | ".join(cells) + f" | {rss:.0f} |")
print()
print("Server CPU seconds (user+sys) per GiB moved (x raw; lower is better):")
print()
print("| server | " + " | ".join(jobs) + " |")
print("|---|" + "---|" * len(jobs))
for name in ["raw", "crc32c", "sha256", "hmac-sha256"]:
    cells = []
    for job in jobs:
        c = cpu_per_gib(name, job)
        cells.append(f"{c:.2f}" if name == "raw" else f"{c:.2f} ({c / raw_cpu[job]:.2f}x)")
    label = "serve-nbd raw" if name == "raw" else f"volume {name}"
    print(f"| {label} | " + " | ".join(cells) + " |")
PY
