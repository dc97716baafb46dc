#!/usr/bin/env bash
# Release assets from a build directory (targets dockgate, dockgate-portable, dockgate_cli_docs
# built): the .deb (cpack), the portable tarball, a CycloneDX SBOM and SHA256SUMS, into OUT.
# Usage: scripts/release-assets.sh BUILD_DIR OUT_DIR VERSION
set -euo pipefail
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
version=$3
src=$(cd "$(dirname "$0")/.." && pwd)

(cd "$build" && cpack -G DEB)
deb="dockgate_${version}_amd64.deb"
cp "$build/$deb" "$out/"

name="dockgate-${version}-linux-x86_64"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name/bin" "$stage/$name/lib" "$stage/$name/share/man/man1" "$stage/$name/share/completions"
install -m 0755 "$build/dockgate-portable" "$stage/$name/bin/dockgate"
# The shared libraries Debian has no static archive of (its RUNPATH is $ORIGIN/../lib); glibc,
# libstdc++, libgcc_s and libzstd come from the system (every Debian/Ubuntu base image has them).
ldd "$build/dockgate-portable" | awk '$2 == "=>" && $3 ~ /^\// {print $3}' |
  grep -Ev '/(libc|libm|libdl|librt|libpthread|libstdc\+\+|libgcc_s|libzstd)\.so' |
  while read -r lib; do install -m 0644 "$(readlink -f "$lib")" "$stage/$name/lib/$(basename "$lib")"; done
install -m 0644 "$build/share/dockgate.1" "$stage/$name/share/man/man1/dockgate.1"
install -m 0644 "$build/share/dockgate.bash" "$build/share/_dockgate" "$build/share/dockgate.fish" \
  "$stage/$name/share/completions/"
install -m 0644 "$src/README.md" "$stage/$name/"
# Reproducible: fixed owner, order and times (the commit's).
mtime=$(git -C "$src" log -1 --format=%ct 2>/dev/null || echo 0)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -C "$stage" -czf "$out/$name.tar.gz" "$name"

# The -dev packages whose static archives dockgate-portable links in (CMakeLists.txt).
"$src/scripts/sbom.py" "$out/$deb" "$version" libyaml-cpp-dev libpugixml-dev libarchive-dev nettle-dev liblzma-dev \
  libbz2-dev zlib1g-dev libstdc++-12-dev libgcc-12-dev > "$out/dockgate-${version}.cdx.json"

(cd "$out" && sha256sum -- "$deb" "$name.tar.gz" "dockgate-${version}.cdx.json" > SHA256SUMS)
ls -l "$out"
