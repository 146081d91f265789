#!/usr/bin/env bash
# Two builds' `intact sum` of one file, alternating run by run (so that a machine whose speed
# drifts moves both alike), with the peer tool between them; prints each one's median wall time.
# For a change to a sum's path, where a single hyperfine batch per build moves by ±10 % here.
#
#   bench/sum-ab.sh ROUNDS FILE ALGORITHM A_INTACT B_INTACT
#   bench/sum-ab.sh 7 /tmp/r2g.bin xxh3 /work/wt/before/bin/intact bin/intact
#
# The peer is the tool issue 16 compares with: b3sum, xxhsum -H3, rhash --crc32c (none for
# other algorithms). Both builds must print the same value, or the script stops.
set -euo pipefail
rounds=${1:?ROUNDS}; file=${2:?FILE}; algo=${3:?ALGORITHM}; A=${4:?A_INTACT}; B=${5:?B_INTACT}
case $algo in
  blake3) peer=(b3sum --no-names "$file") ;;
  xxh3 | xxh3-64) peer=(xxhsum -H3 "$file") ;;
  crc32c) peer=(rhash --crc32c "$file") ;;
  *) peer=() ;;
esac
a=$("$A" sum -a "$algo" "$file" | cut -d' ' -f1) # also builds and trains outside the timings
b=$("$B" sum -a "$algo" "$file" | cut -d' ' -f1)
[ "$a" = "$b" ] || { echo "sum-ab: the builds disagree: $a vs $b" >&2; exit 1; }
cat "$file" >/dev/null
declare -A times=([A]="" [B]="" [peer]="")
ms() { # runs the command, appends its wall time in ms to times[$1]
  local who=$1 start
  shift
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  times[$who]+=" $((($(date +%s%N) - start) / 1000000))"
}
for ((i = 0; i < rounds; i++)); do
  ms A "$A" sum -a "$algo" "$file"
  [ ${#peer[@]} -gt 0 ] && ms peer "${peer[@]}"
  ms B "$B" sum -a "$algo" "$file"
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
echo "sum-ab: $algo of $file, $rounds rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "A ($A): $(median <<<"${times[A]}") ms"
echo "B ($B): $(median <<<"${times[B]}") ms"
[ ${#peer[@]} -gt 0 ] && echo "peer (${peer[0]}): $(median <<<"${times[peer]}") ms"
exit 0
