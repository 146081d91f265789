#!/usr/bin/env bash
# fio (ioengine=nbd) against `intact volume serve` and against `intact serve-nbd` of a raw file
# of the same size, in the same run: sequential 1 MiB write and read (iodepth 4), 4 KiB random
# write and read (iodepth 16), with crc32c tags, then the volume with sha256 and hmac-sha256 tags.
#
# Every job is time-based (SECONDS each) and loops over the file, so each moves many times SIZE
# and one slow or fast second does not decide it. Each server first gets one untimed sequential
# pass that writes the whole file: the measured sequential write is therefore the steady-state
# OVERWRITE (for a version-4 volume: each 1 MiB request is a whole chunk, written once to a spare
# chunk with a REMAP record of its tags, and a checkpoint when the spare chunks run out; a
# version-3 volume journals it), which is what a user's disk sees after its first fill; the raw file is likewise fully allocated. The
# fill itself is reported too (column "fill": one pass of SIZE, so noisier): for the volume it is
# the fresh-space path, data written once at home with its tags in HOME records. The first seconds
# of overwriting and of reading are reported apart (columns "firstwrite", "firstread"): they
# include the JIT compiling the server's overwrite and read paths, which nothing before them ran
# (the volume's overwrite is not its fill's path: 1.6 s of C2 compiling fell in a 7 s overwrite
# window that followed the fill directly); "seqwrite" and "seqread" follow them, in steady state.
#
# The raw server also runs "seqwrite-flushed": the same overwrite with an NBD FLUSH after every
# spare pool's worth of writes (fio --fsync=N, N = the volumes' spare chunks). The volume
# writes a whole-chunk overwrite once, into a spare chunk, and may reuse the chunk it left only
# after a checkpoint has made the move durable; so once per spare pool its data must reach the
# disk, which the raw server, overwriting the same page-cached GiB, never does during the job.
# That row is the raw disk at the volume's durability, the floor for its overwrite.
#
# The raw server and the crc32c volume run in ROUNDS interleaved rounds so drift of the machine
# falls on both, and the order alternates (raw then crc32c in odd rounds, crc32c then raw in even
# ones), so a machine that speeds up or slows down during a round does not always favour the same
# server; the report gives per-round ratios and their median. sha256 and hmac-sha256 run once, compared with the median raw round.
# Prints MiB/s per server and job, the ratio to raw, each server's peak RSS (VmHWM), and per job the
# server's CPU time (user+sys) per GiB moved, which a loaded machine skews less than MiB/s, and
# the load average at the start and the end.
#
#   [ROUNDS=3] [SPARE=SIZE] bench/volume-bench.sh [DIR] [SIZE] [SECONDS]
#   (defaults /tmp/intact-bench, 1G, 7; SPARE: the volumes' --spare, default volume create's)
#
# The default run takes 7 to 8 minutes. Needs: fio (with its nbd engine), python3 (Debian
# packages fio python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dir=${1:-/tmp/intact-bench}
size=${2:-1G}
seconds=${3:-7}
rounds=${ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "volume-bench: ROUNDS must be a positive integer" >&2; exit 1; }
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
cut -d' ' -f1-3 /proc/loadavg > "$out/load.start"

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
  sync # what an earlier job or server left dirty is not written back during this one
  local before; before=$(cpu_ticks)
  fio --ioengine=nbd --uri="$uri" --size="$size" --output-format=json --name=j "$@" \
    > "$out/$name-$job.json"
  echo $(( $(cpu_ticks) - before )) > "$out/$name-$job.cpu"
}

# The volumes' spare chunks of 1 MiB, for seqwrite-flushed.
"$intact" volume create "$dir/bench.vol" --size "$size" ${SPARE:+--spare "$SPARE"} >/dev/null
spare_chunks=$("$intact" volume info "$dir/bench.vol" --json |
  python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["spare_size"] // j["chunk_size"])')
rm -f "$dir/bench.vol"

# run_jobs NAME: the fill, the first read seconds, then the four steady-state jobs against $uri
run_jobs() {
  local name=$1
  job "$name" fill --rw=write --bs=1M --iodepth=4 --end_fsync=1
  job "$name" firstwrite --rw=write --bs=1M --iodepth=4 --time_based --runtime=3 --end_fsync=1
  job "$name" seqwrite --rw=write --bs=1M --iodepth=4 --time_based --runtime="$seconds" \
    --end_fsync=1
  if [[ $name == raw* ]]; then
    job "$name" seqwrite-flushed --rw=write --bs=1M --iodepth=4 --time_based \
      --runtime="$seconds" --fsync="$spare_chunks" --end_fsync=1
  fi
  job "$name" firstread --rw=read --bs=1M --iodepth=4 --time_based --runtime=3
  job "$name" seqread --rw=read --bs=1M --iodepth=4 --time_based --runtime="$seconds"
  job "$name" randwrite --rw=randwrite --bs=4k --iodepth=16 --time_based --runtime="$seconds" \
    --end_fsync=1
  job "$name" randread --rw=randread --bs=4k --iodepth=16 --time_based --runtime="$seconds"
}

# run_raw NAME / run_volume NAME TAG: one server on a fresh file of $size, all jobs, stopped.
run_raw() {
  rm -f "$dir/bench.raw" && truncate -s "$size" "$dir/bench.raw"
  start_server "$1" "$intact" serve-nbd "$dir/bench.raw"
  run_jobs "$1"
  stop_server "$1"
  rm -f "$dir/bench.raw"
}

run_volume() {
  local name=$1 tag=$2 key=()
  rm -f "$dir/bench.vol"
  [[ $tag == hmac-sha256 ]] && key=(--key-file "$dir/bench.key")
  "$intact" volume create "$dir/bench.vol" --size "$size" --tag "$tag" "${key[@]}" \
    ${SPARE:+--spare "$SPARE"} >/dev/null
  start_server "$name" "$intact" volume serve "$dir/bench.vol" "${key[@]}"
  run_jobs "$name"
  stop_server "$name"
  "$intact" volume check "$dir/bench.vol" "${key[@]}" >/dev/null
  rm -f "$dir/bench.vol"
}

for round in $(seq "$rounds"); do
  if (( round % 2 )); then
    run_raw "raw$round"
    run_volume "crc32c$round" crc32c
  else
    run_volume "crc32c$round" crc32c
    run_raw "raw$round"
  fi
done
for tag in sha256 hmac-sha256; do
  run_volume "$tag" "$tag"
done
cut -d' ' -f1-3 /proc/loadavg > "$out/load.end"

SPARE_CHUNKS=$spare_chunks python3 - "$out" "$(getconf CLK_TCK)" "$rounds" <<'PY'
import json, sys, os, statistics
out, hz, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
jobs = ["fill", "firstwrite", "seqwrite", "firstread", "seqread", "randwrite", "randread"]
def result(name, job):
    text = open(os.path.join(out, f"{name}-{job}.json")).read()
    j = json.loads(text[text.index("{"):])["jobs"][0]  # fio may print notes before the JSON
    return j["write" if job in ("fill", "firstwrite", "seqwrite", "seqwrite-flushed", "randwrite") else "read"]
def bw(name, job):
    return result(name, job)["bw_bytes"] / 2**20
def cpu(name, job):  # server CPU seconds per GiB moved
    ticks = int(open(os.path.join(out, f"{name}-{job}.cpu")).read())
    return ticks / hz / (result(name, job)["io_bytes"] / 2**30)
def rss(name):
    return int(open(os.path.join(out, f"{name}.rss")).read()) / 1024
def load(when):
    return open(os.path.join(out, f"load.{when}")).read().strip()
median = statistics.median
rs = range(1, rounds + 1)
print(f"load average at start {load('start')}, at end {load('end')}")
print()
for title, f, unit in [("MiB/s", bw, "x raw"), ("server CPU s/GiB (lower is better)", cpu, "x raw")]:
    print(f"Per round, {title}: raw / crc32c = ratio")
    print()
    print("| round | " + " | ".join(jobs) + " |")
    print("|---|" + "---|" * len(jobs))
    for r in rs:
        cells = []
        for job in jobs:
            a, b = f(f"raw{r}", job), f(f"crc32c{r}", job)
            cells.append(f"{a:.2f} / {b:.2f} = {b / a:.2f}x" if f is cpu else f"{a:.0f} / {b:.0f} = {b / a:.2f}x")
        print(f"| {r} | " + " | ".join(cells) + " |")
    print()
raw_bw = {job: median(bw(f"raw{r}", job) for r in rs) for job in jobs}
raw_cpu = {job: median(cpu(f"raw{r}", job) for r in rs) for job in jobs}
def row(label, f, raw_med, ratio_of, peak, fmt):
    cells = []
    for job in jobs:
        v, ratio = ratio_of(job)
        cells.append(fmt(v) if ratio is None else f"{fmt(v)} ({ratio:.2f}x)")
    print(f"| {label} | " + " | ".join(cells) + ("" if peak is None else f" | {peak:.0f}") + " |")
for title, f, raw_med, fmt, with_rss in [
        ("MiB/s (x raw)", bw, raw_bw, lambda v: f"{v:.0f}", True),
        ("server CPU seconds (user+sys) per GiB moved (x raw; lower is better)", cpu, raw_cpu,
         lambda v: f"{v:.2f}", False)]:
    print(f"Median over {rounds} round(s), {title}; crc32c's ratio is the median of the per-round "
          "ratios, sha256's and hmac-sha256's are against the median raw round:")
    print()
    print("| server | " + " | ".join(jobs) + (" | peak RSS MiB |" if with_rss else " |"))
    print("|---|" + "---|" * (len(jobs) + (1 if with_rss else 0)))
    row("serve-nbd raw", f, raw_med, lambda job: (raw_med[job], None),
        max(rss(f"raw{r}") for r in rs) if with_rss else None, fmt)
    row("volume crc32c", f, raw_med,
        lambda job: (median(f(f"crc32c{r}", job) for r in rs),
                     median(f(f"crc32c{r}", job) / f(f"raw{r}", job) for r in rs)),
        max(rss(f"crc32c{r}") for r in rs) if with_rss else None, fmt)
    for tag in ["sha256", "hmac-sha256"]:
        row(f"volume {tag}", f, raw_med, lambda job: (f(tag, job), f(tag, job) / raw_med[job]),
            rss(tag) if with_rss else None, fmt)
    print()
flushed = [bw(f"raw{r}", "seqwrite-flushed") for r in rs]
print(f"Durability floor: raw seqwrite with a FLUSH every {os.environ['SPARE_CHUNKS']} MiB "
      f"(the volume's spare pool), per round MiB/s: "
      + ", ".join(f"{v:.0f}" for v in flushed)
      + "; x raw seqwrite: "
      + ", ".join(f"{flushed[r - 1] / bw(f'raw{r}', 'seqwrite'):.2f}x" for r in rs)
      + "; volume crc32c seqwrite x this floor: "
      + ", ".join(f"{bw(f'crc32c{r}', 'seqwrite') / flushed[r - 1]:.2f}x" for r in rs))
PY
