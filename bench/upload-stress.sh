#!/usr/bin/env bash
# Repeated verified uploads through one daemon, a fresh destination and ticket per run, each ticket
# removed after its run (a ticket keeps its image open: without that, every deleted destination
# keeps its blocks and the disk fills). Stops at the first failure unless KEEP_GOING is set, and
# keeps that run's client log.
#
#   bench/upload-stress.sh RUNS SIZE ['CLIENT_JAVA_OPTS']      e.g. bench/upload-stress.sh 60 2G
#
# DEBUG=1 runs the client with --debug (its Jetty log; slower). DIR defaults to
# /tmp/intact-upload-stress. Prints one line per run and the count of failures.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
intact="$(dirname "$here")/bin/intact"
runs=${1:?RUNS}; size=${2:?SIZE}; opts=${3:-}
dir=${DIR:-/tmp/intact-upload-stress}
debug=(); [ -n "${DEBUG:-}" ] && debug=(--debug)
"$intact" --version > /dev/null   # builds the CLI and its AOT cache before the daemon starts
rm -rf "$dir/root"; mkdir -p "$dir/root" "$dir/state"
src=$dir/src-$size
[ -f "$src" ] || head -c "$size" /dev/urandom > "$src"
bytes=$(stat -c %s "$src")
. "$here/daemon.sh"
start_daemon "$intact" "$dir"
failures=0
for ((i = 1; i <= runs; i++)); do
  dst=$dir/root/dst.raw
  rm -f "$dst"; truncate -s "$bytes" "$dst"
  url=$("$intact" ticket add "${control_args[@]}" --write --timeout 7200 \
    --data-url "https://127.0.0.1:$port/images/" "$dst")
  start=$(date +%s%N)
  if INTACT_JAVA_OPTS="$opts" "$intact" upload "${debug[@]}" --no-progress \
    --cafile "$cert" "$src" "$url" > "$dir/client.log" 2>&1; then
    echo "run $i ok $(( ($(date +%s%N) - start) / 1000000 )) ms"
  else
    failures=$((failures + 1))
    cp "$dir/client.log" "$dir/client-failed-$i.log"
    echo "run $i FAILED: $(grep -v '^\s*at ' "$dir/client.log" | grep '^intact:' | tail -1) (log: $dir/client-failed-$i.log)"
    [ -n "${KEEP_GOING:-}" ] || { "$intact" ticket remove "${control_args[@]}" "${url##*/}" > /dev/null; break; }
  fi
  "$intact" ticket remove "${control_args[@]}" "${url##*/}" > /dev/null
done
echo "failures: $failures of $((i > runs ? runs : i))"
[ "$failures" -eq 0 ]
