# Sourced by the bench scripts that need a daemon:
#
#   start_daemon INTACT DIR [PREFIX...]
#
# starts `INTACT serve` on loopback (PREFIX, e.g. `taskset -c 0`, before the command), serving
# DIR/root with its state in DIR/state and its log in DIR/daemon.log; stops it when the script
# exits; fails naming the log if it does not start. Sets port, control (its control port),
# control_args (for `intact ticket`), cert (its certificate) and daemon (its pid).
start_daemon() {
  local bin=$1 dir=$2
  shift 2
  port=$((20000 + RANDOM % 20000)); control=$((port + 1))
  "$@" "$bin" serve --host 127.0.0.1 --port "$port" --control-port "$control" \
    --root "$dir/root" --state-dir "$dir/state" > "$dir/daemon.log" 2>&1 &
  daemon=$!
  trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    grep -q "^certificate:" "$dir/daemon.log" 2>/dev/null && break
    sleep 0.2
  done
  cert=$dir/state/server-cert.pem
  if [ ! -f "$dir/state/control.token" ] || [ ! -f "$cert" ]; then
    echo "$(basename "$0"): the daemon did not start; see $dir/daemon.log" >&2
    exit 1
  fi
  control_args=(--control-port "$control" --control-token-file "$dir/state/control.token")
}
