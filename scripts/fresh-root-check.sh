#!/usr/bin/env bash
# A new user's trial, reproducible: a fresh Debian root (debootstrap, nothing but the base system and
# git) holding only a `git clone` of this repository runs the README's two commands; then the .deb
# that cpack makes there is installed into a second fresh root, where `dockgate doctor` must run
# (scripts/check-deb.sh).
#
#   sudo scripts/fresh-root-check.sh WORKDIR          # WORKDIR: an empty folder with ~6 GB free
#
# Needs root (debootstrap, chroot, mounts), debootstrap, and the network this machine's apt uses:
# the mirror and suites come from its own apt sources, so the roots see what a fresh install here
# would. The roots share this machine's network (the tests' servers bind 127.0.0.1) but nothing
# else: no folder beside the clone, no tool from this machine.
# CCACHE_DIR=DIR reuses a compiler cache (content-checked) for a faster second trial; leave it unset
# for a cold one. DOCKGATE_QUICK=1 is passed through (test.sh then skips the sanitizer suite).
set -euo pipefail
work=${1:?usage: fresh-root-check.sh WORKDIR}
repo=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" -eq 0 ] || { echo "fresh-root-check: run as root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "fresh-root-check: apt-get install debootstrap" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)

# shellcheck source=/dev/null
. /etc/os-release
suite=${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}
mirror=$("$repo/scripts/debian-mirror.sh" "$suite")
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT

make_root() {  # ROOT EXTRA_PACKAGES: a minimal Debian with this machine's apt sources
  local root=$1 extra=$2
  # Never remove a root that still has this machine's /dev, /proc or /sys bound into it (an
  # earlier run killed before its clean-up): rm -rf would go through them.
  if grep -qF " $root/" /proc/mounts; then
    echo "fresh-root-check: $root still has mounts (umount -R $root first)" >&2; exit 2
  fi
  rm -rf --one-file-system "$root"
  debootstrap --variant=minbase ${extra:+--include="$extra"} "$suite" "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log" >&2; exit 1; }
  rm -f "$root/etc/apt/sources.list"
  cp -a /etc/apt/sources.list "$root/etc/apt/" 2>/dev/null || true
  find /etc/apt/sources.list.d -maxdepth 1 \( -name '*.sources' -o -name '*.list' \) -exec cp -a {} "$root/etc/apt/sources.list.d/" \;
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # This machine's network trust (a local CA in front of the registries, say) is the network's,
  # not the project's: the root gets the same, as any fresh machine on this network would.
  if [ -d /usr/local/share/ca-certificates ] && [ -x "$root/usr/sbin/update-ca-certificates" ]; then
    cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  fi
  local m
  for m in proc sys dev; do
    mkdir -p "$root/$m"
    mount --rbind "/$m" "$root/$m" && mount --make-rslave "$root/$m"
    mounted+=("$root/$m")
  done
}

# The network's settings a login on this machine gets (proxies, CA bundles), passed on as they are.
net_env=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY SSL_CERT_FILE SSL_CERT_DIR \
         NODE_EXTRA_CA_CERTS CURL_CA_BUNDLE REQUESTS_CA_BUNDLE; do
  [ -n "${!v:-}" ] && net_env+=("$v=${!v}")
done

in_root() {  # ROOT COMMAND: run COMMAND in ROOT with a clean environment, as a new login would
  local root=$1; shift
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 "${net_env[@]}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${CCACHE_DIR:+CCACHE_DIR=/ccache CCACHE_COMPILERCHECK=content} \
    ${DOCKGATE_QUICK:+DOCKGATE_QUICK=$DOCKGATE_QUICK} \
    bash -c "$*"
}

echo "fresh-root-check: root 1 ($suite from $mirror): git clone, then the README's two commands"
build_root=$work/build-root
make_root "$build_root" git,ca-certificates
if [ -n "${CCACHE_DIR:-}" ]; then
  mkdir -p "$build_root/ccache" && mount --bind "$CCACHE_DIR" "$build_root/ccache" && mounted+=("$build_root/ccache")
fi
git clone --quiet "$repo" "$build_root/root/dockgate"
# The two commands exactly as the README's first lines give them.
mapfile -t commands < <(awk '/^```/ {n++; next} n == 1 {sub(/ *#.*/, ""); print}' "$repo/README.md")
[ "${#commands[@]}" -eq 2 ] || { echo "fresh-root-check: README does not start with two commands" >&2; exit 1; }
start=$SECONDS
in_root "$build_root" "cd /root/dockgate && ${commands[0]}" > "$work/bootstrap.log" 2>&1 ||
  { tail -30 "$work/bootstrap.log" >&2; echo "fresh-root-check: '${commands[0]}' failed (log: $work/bootstrap.log)" >&2; exit 1; }
echo "fresh-root-check: '${commands[0]}' passed in $((SECONDS - start)) s"
start=$SECONDS
in_root "$build_root" "cd /root/dockgate && ${commands[1]}" > "$work/test.log" 2>&1 ||
  { tail -40 "$work/test.log" >&2; echo "fresh-root-check: '${commands[1]}' failed (log: $work/test.log)" >&2; exit 1; }
grep -E 'tests passed|tests failed' "$work/test.log" || true
echo "fresh-root-check: '${commands[1]}' passed in $((SECONDS - start)) s"

in_root "$build_root" "cd /root/dockgate/build && cmake --build . --target dockgate_cli_docs >/dev/null && cpack -G DEB >/dev/null" ||
  { echo "fresh-root-check: cpack failed" >&2; exit 1; }
deb=$(ls "$build_root"/root/dockgate/build/dockgate_*_amd64.deb)
cp "$deb" "$work/"
deb=$work/$(basename "$deb")
echo "fresh-root-check: $(basename "$deb") $(stat -c %s "$deb") bytes; $(dpkg-deb -f "$deb" Depends)"

# The second fresh root: scripts/check-deb.sh installs the .deb there and runs --version, doctor
# and a gate.
echo "fresh-root-check: root 2: the .deb into a second fresh root (scripts/check-deb.sh)"
"$repo/scripts/check-deb.sh" "$deb" "$suite" | tee "$work/check-deb.log"
echo "fresh-root-check: passed"
