#!/usr/bin/env bash
# Prints the mirror this machine's apt uses for SUITE (default: this system's codename), as apt
# itself resolved its sources (one-line .list or deb822 .sources alike), for debootstrap.
#   scripts/debian-mirror.sh [SUITE]
set -euo pipefail
# shellcheck source=/dev/null
. /etc/os-release
suite=${1:-${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}}
# shellcheck disable=SC2016 # apt expands $(REPO_URI), not the shell
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' |
  awk -v s="$suite" '$2 == s {print $1; exit}')
[ -n "$mirror" ] || { echo "debian-mirror: no apt source for $suite on this machine" >&2; exit 2; }
echo "$mirror"
