#!/usr/bin/env bash
# Installs a dockgate .deb into a fresh Debian root (debootstrap, minbase) and runs it there:
# the package's dependencies must be enough for `dockgate --version`, `doctor` and a gate.
# Needs root, debootstrap and network to a Debian mirror (apt's own, or DOCKGATE_DEBIAN_MIRROR). The bare root is cached (DOCKGATE_DEBROOT_CACHE,
# default /var/tmp/dockgate-debroot-SUITE.tar) so a second run takes seconds plus the apt install.
# Usage: sudo scripts/check-deb.sh build/dockgate_0.1.0_amd64.deb [SUITE]
set -euo pipefail
deb=$(readlink -f "$1")
suite=${2:-bookworm}
# The mirror this machine's apt already uses, unless one is given. (A grep over the source files
# exited 2 under pipefail on a machine without /etc/apt/sources.list, Debian 12's default, and
# ended this script silently.)
mirror=${DOCKGATE_DEBIAN_MIRROR:-$("$(dirname "$0")/debian-mirror.sh" "$suite")}
[ -n "$mirror" ] || { echo "check-deb: no Debian mirror in apt's sources; set DOCKGATE_DEBIAN_MIRROR" >&2; exit 2; }
cache=${DOCKGATE_DEBROOT_CACHE:-/var/tmp/dockgate-debroot-$suite.tar}
src=$(cd "$(dirname "$0")/.." && pwd)

[ "$(id -u)" -eq 0 ] || { echo "check-deb: needs root (debootstrap, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "check-deb: debootstrap is missing (apt-get install debootstrap)" >&2; exit 2; }

root=$(mktemp -d /var/tmp/dockgate-debroot.XXXXXX)
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT

if [ -f "$cache" ]; then
  tar -C "$root" -xf "$cache"
else
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >&2
  tar -C "$root" -cf "$cache" .
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/dockgate.deb"
cp "$src/tests/data/corpus/hadolint/dd-one_dockerfile.json" "$root/tmp/hadolint.json"

# shellcheck disable=SC2016  # expanded inside the chroot
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive sh -euc '
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends /tmp/dockgate.deb >/dev/null
  echo "== dpkg -s dockgate"; dpkg-query -W -f="\${Package} \${Version}\nDepends: \${Depends}\nRecommends: \${Recommends}\n" dockgate
  echo "== dockgate --version"; dockgate --version
  echo "== files"; dpkg -L dockgate | grep -E "bin/|man1|completion|fish"
  echo "== dockgate doctor"; cd /tmp && dockgate doctor
  echo "== dockgate gate"; dockgate gate /tmp/hadolint.json --fail-on critical -q && echo "gate: exit 0"
'
echo "check-deb: $(basename "$deb") installs into a fresh $suite root and runs"
