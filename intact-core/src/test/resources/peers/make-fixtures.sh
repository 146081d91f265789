#!/usr/bin/env bash
# Regenerates blksum.tsv, imageio-client.tsv and imageio-daemon.tsv from the real peers.
# Not run by the build (the peers are not Debian packages): run it by hand, then review the diff.
#   BLKSUM=/path/to/blkhash/build/bin/blksum     (nirs/blkhash, meson setup build; ninja -C build)
#   IMAGEIO=/path/to/ovirt-imageio               (oVirt/ovirt-imageio after `make build`)
#   IMAGEIO_URL=https://localhost:54399 IMAGEIO_CA=.../test/pki/system/ca.pem IMAGEIO_CONTROL=SOCK
#     (its daemon started with ./ovirt-imageio -c CONF, CONF bound to 127.0.0.1 only; README.md)
# Writes to OUT (default: a new temporary directory) so a run never overwrites the committed files.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
out=${OUT:-$(mktemp -d)}
inputs=$out/in
python3 "$here/peer_inputs.py" "$inputs" >/dev/null
names=$(python3 -c "import sys; sys.path.insert(0, '$here'); import peer_inputs; print(' '.join(peer_inputs.INPUTS))")
cd "$inputs"

: >"$out/blksum.tsv"
for f in $names; do
  for d in sha256 sha1 md5 sha512 sha3-256 blake2b512; do
    for bs in 65536 4096 1048576; do
      case $bs in
        65536) opts="--digest=$d" ;;
        1048576) opts="--digest=$d --block-size=$bs --read-size=$bs" ;;
        *) opts="--digest=$d --block-size=$bs" ;;
      esac
      # shellcheck disable=SC2086 # opts is a list of options
      v=$("$BLKSUM" $opts "$f.raw")
      printf '%s\t%s\t%s\tfile\t%s\tblksum %s %s.raw\n' "$f" "$d" "$bs" "${v%% *}" "$opts" "$f" >>"$out/blksum.tsv"
      # shellcheck disable=SC2086
      v=$("$BLKSUM" $opts <"$f.raw")
      printf '%s\t%s\t%s\tstdin\t%s\tblksum %s < %s.raw\n' "$f" "$d" "$bs" "${v%% *}" "$opts" "$f" >>"$out/blksum.tsv"
    done
  done
done

PYTHONPATH=$IMAGEIO python3 - "$out/imageio-client.tsv" $names <<'PY'
import sys
from ovirt_imageio import client
with open(sys.argv[1], "w") as out:
    for n in sys.argv[2:]:
        for alg in ["blake2b", "sha1", "sha256", "md5", "sha512", "sha3_256"]:
            for bs in [4 << 20, 1 << 20]:
                try:
                    v = client.checksum(n + ".raw", block_size=bs, algorithm=alg)["checksum"]
                except Exception as e:  # the empty file fails inside imageio
                    v = "error: %s: %s" % (type(e).__name__, e)
                out.write("%s\t%s\t%d\tclient\t%s\tclient.checksum(%r, block_size=%d, algorithm=%r)\n"
                          % (n, alg, bs, v, n + ".raw", bs, alg))
PY

: >"$out/imageio-daemon.tsv"
for f in $names; do
  id=fx-$f
  curl -sf --unix-socket "$IMAGEIO_CONTROL" -X PUT http://localhost/tickets/$id \
    -d "{\"uuid\":\"$id\",\"size\":$(stat -c %s "$f.raw"),\"url\":\"file://$inputs/$f.raw\",\"ops\":[\"read\"],\"timeout\":3000}"
  for alg in blake2b sha1 sha256 md5 sha512 sha3_256; do
    for bs in 4194304 1048576; do
      url="$IMAGEIO_URL/images/$id/checksum?algorithm=$alg&block_size=$bs"
      body=$(curl -s --cacert "$IMAGEIO_CA" -w ' HTTP %{http_code}' "$url")
      v=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["checksum"])' "${body% HTTP *}" 2>/dev/null ||
        echo "error: HTTP ${body##* HTTP } ${body% HTTP *}")
      printf '%s\t%s\t%s\tdaemon-file\t%s\tcurl --cacert ca.pem %q\n' "$f" "$alg" "$bs" "$v" "$url" >>"$out/imageio-daemon.tsv"
    done
  done
done
echo "$out"
