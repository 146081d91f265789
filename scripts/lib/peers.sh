# Sourced by Intact's developer scripts (scripts/test, scripts/demo) and .ci/run: the Debian peer
# tools the tests use as ground truth, and a check that installs the missing ones when it can
# (root and apt-get) or stops at once with the command to run.
# Each entry is PACKAGE:COMMAND, the command telling whether the package is there.
INTACT_PEER_PACKAGES=(
  coreutils:sha256sum bsdutils:script xxhash:xxhsum rhash:rhash b3sum:b3sum python3:python3
  qemu-utils:qemu-img bmap-tools:bmaptool nbdkit:nbdkit libnbd-bin:nbdinfo util-linux:losetup
  mount:mount tar:tar gzip:gzip xz-utils:xz zstd:zstd bzip2:bzip2
  xrootd-server:xrootd xrootd-plugins:- xrootd-client:xrdcp attr:getfattr
  fio:fio e2fsprogs:mkfs.ext4
)

# intact_require_peers WHO PACKAGE:COMMAND...: installs the missing packages when running as root
# with apt-get, else names them and exits 2 with the command that installs them.
intact_require_peers() {
  local who=$1 entry pkg cmd missing=() commands=()
  shift
  for entry in "$@"; do
    pkg=${entry%%:*}
    cmd=${entry#*:}
    # A library package (COMMAND "-") is looked up by its status; losetup and mount live in
    # /usr/sbin, often not on a user's PATH.
    if [ "$cmd" = - ]; then
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' && continue
      cmd=$pkg
    elif PATH=$PATH:/usr/sbin:/sbin command -v "$cmd" >/dev/null 2>&1; then
      continue
    fi
    missing+=("$pkg")
    commands+=("$cmd")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$who: installing the peer tools it needs: ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null >&2
    return 0
  fi
  echo "$who: needs ${commands[*]} (Debian packages ${missing[*]}); install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 2
}
# LocalImageTest: fincore tells that O_DIRECT writes left nothing in the page cache (issue 16, pipeline).
INTACT_PEER_PACKAGES+=(util-linux:fincore)
