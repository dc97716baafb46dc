#!/usr/bin/env bash
# Builds the seed corpus of every harness under OUT (default build-asan/fuzz/seeds) from the
# repository's test data: links to the files in tests/data (no copies), and the formats the tests
# render at run time rendered the same way (bandit's formats from tests/data/bandit/sample_app,
# hadolint's XML from the corpus JSON, trivy's JUnit template, real OCI layouts and docker-save
# archives made with umoci and skopeo as tests/steps/image_fixture.hpp does).
# Seeds over 256 KiB are left out: a short pass would spend its time reading them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=${1:-build-asan/fuzz/seeds}
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)

link() {  # HARNESS FILE...
  local h=$1; shift
  mkdir -p "$out/$h"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    [ "$(stat -c %s "$f")" -le 262144 ] || continue
    ln -sf "$root/$f" "$out/$h/$(echo "$f" | tr / _)"
  done
}
shopt -s nullglob

link report tests/data/corpus/{trivy,grype,hadolint,bandit}/*.json tests/data/policy/pair/*.json \
  tests/data/report/*.json tests/data/image/*.json
link sarif tests/data/corpus/sarif/* tests/data/report/*.sarif
link xml tests/data/bandit/*.xml tests/data/report/*.xml
link bandit tests/data/bandit/*.txt tests/data/corpus/bandit/*.{csv,html,txt}
link config tests/data/policy/config/*.yml ci-examples/demo/dockgate.yml
link waivers tests/data/policy/waivers/* tests/data/vex/*.json
link feeds tests/data/risk/*.json tests/data/risk/*.csv tests/data/risk/*.gz
link dockerfile tests/data/corpus/dockerfiles/* tests/data/lint/corpus/*
link image_config tests/data/image/*.json
mkdir -p "$out/layer" "$out/oci_layout" "$out/docker_archive"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Rendered reports, written by the tools' own formatters (or the test scripts that follow them).
if [ -x /usr/bin/bandit ]; then
  for f in txt csv html yaml xml; do
    dest=bandit; [ "$f" = xml ] && dest=xml
    /usr/bin/bandit -q -r tests/data/bandit/sample_app -f "$f" -o "$out/$dest/sample_app.$f" >/dev/null 2>&1 || true
  done
fi
for j in tests/data/corpus/hadolint/*.json; do
  for f in checkstyle junit; do
    python3 tests/data/ingest/render_hadolint.py "$j" "$f" "$out/xml/$(basename "$j" .json).$f.xml" || true
  done
done
n=0
for j in tests/data/corpus/trivy/*.json; do
  [ "$(stat -c %s "$j")" -le 65536 ] || continue
  python3 tests/data/ingest/render_trivy_junit.py "$j" "$out/xml/$(basename "$j" .json).junit.xml" >/dev/null 2>&1 || continue
  n=$((n + 1)); [ "$n" -lt 8 ] || break
done

# Images: one small layout per shape (single image, two layers, a whiteout), as tars of the
# layout directory for fuzz_oci_layout, their blobs for fuzz_layer and fuzz_image_config, and
# docker-save archives for fuzz_docker_archive.
if command -v umoci >/dev/null; then
  for shape in one two; do
    l=$tmp/$shape/oci
    umoci init --layout "$l" >/dev/null
    umoci new --image "$l:latest" >/dev/null
    umoci unpack --rootless --image "$l:latest" "$tmp/$shape/b1" >/dev/null
    mkdir -p "$tmp/$shape/b1/rootfs/app" "$tmp/$shape/b1/rootfs/etc"
    printf 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\n' > "$tmp/$shape/b1/rootfs/etc/os-release"
    head -c 3000 /dev/zero > "$tmp/$shape/b1/rootfs/app/data.bin"
    echo 'print("hi")' > "$tmp/$shape/b1/rootfs/app/main.py"
    umoci repack --history.created_by "COPY app/ /app/ # buildkit" --image "$l:latest" "$tmp/$shape/b1" >/dev/null
    if [ "$shape" = two ]; then
      umoci unpack --rootless --image "$l:latest" "$tmp/$shape/b2" >/dev/null
      rm "$tmp/$shape/b2/rootfs/app/data.bin"
      echo 'x' > "$tmp/$shape/b2/rootfs/app/new.txt"
      umoci repack --history.created_by "/bin/sh -c rm /app/data.bin" --image "$l:latest" "$tmp/$shape/b2" >/dev/null
      umoci config --image "$l:latest" --config.user=app --config.exposedports=80/tcp \
        --config.label=org.opencontainers.image.revision=0123abc --config.env=A=1 >/dev/null
    fi
    umoci gc --layout "$l" >/dev/null
    tar -C "$l" -cf "$out/oci_layout/$shape.tar" .
    for b in "$l"/blobs/sha256/*; do
      if head -c 1 "$b" | grep -q '{'; then
        cp "$b" "$out/image_config/$shape-$(basename "$b" | head -c 12).json"
      else
        cp "$b" "$out/layer/$shape-$(basename "$b" | head -c 12).tar.gz"
        gzip -dc "$b" > "$out/layer/$shape-$(basename "$b" | head -c 12).tar" || true
      fi
    done
    if command -v skopeo >/dev/null; then
      skopeo copy --quiet "oci:$l:latest" "docker-archive:$out/docker_archive/$shape.tar:example/app:$shape" >/dev/null 2>&1 || true
      [ "$shape" != one ] || gzip -c "$out/docker_archive/one.tar" > "$out/docker_archive/one.tar.gz" || true
    fi
  done
fi

for d in "$out"/*/; do
  echo "seeds: $(basename "$d") $(find "$d" -maxdepth 1 \( -type f -o -type l \) | wc -l)"
done
