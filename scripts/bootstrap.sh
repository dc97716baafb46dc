#!/usr/bin/env bash
# One command on a fresh Debian machine: install every package dockgate and its tests need, then build.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Build: compiler, CMake, Ninja and the libraries found with find_package.
# Tests: bandit, skopeo + umoci (real OCI images), xmllint, python3-jsonschema (independent validators),
# python3 (test HTTP servers), jq (the benchmark's peer), hyperfine (benchmark), node/npm (SARIF Multitool,
# junit-report-merger, action validator). clang 19 with its sanitizer and libFuzzer runtimes, and
# clang-tidy 19: the asan preset and fuzz/ (clang 14 cannot compile libstdc++ 12's <expected>).
PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  nlohmann-json3-dev libpugixml-dev libcli11-dev libspdlog-dev libfmt-dev doctest-dev libyaml-cpp-dev
  libcurl4-openssl-dev libsimdjson-dev nettle-dev libarchive-dev
  python3 python3-bandit python3-jsonschema python3-yaml
  skopeo umoci libxml2-utils jq hyperfine time shellcheck man-db
  clang-19 libclang-rt-19-dev clang-tidy-19
  chromium fonts-dejavu-core
)
# Node and npm: Debian's packages only when the machine has none (an existing Node.js install ships
# its own npm, which conflicts with Debian's npm package).
command -v npm >/dev/null 2>&1 || PACKAGES+=(nodejs npm)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node tools the tests validate our outputs with, pinned in tools/package.json (npm registry only).
# Without them the test suite cannot check SARIF, JUnit merging or the workflows: stop here.
if ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: npm is missing after installing packages" >&2
  exit 1
fi
if ! (cd tools && npm ci --no-audit --no-fund --loglevel=error); then
  echo "bootstrap: npm ci failed in tools/ (network to the npm registry?); the test tools are not installed" >&2
  exit 1
fi

# ccache across checkouts: paths relative to the checkout (CCACHE_BASEDIR, CCACHE_NOHASHDIR) and the
# precompiled header accepted (the sloppiness and -fpch-preprocess its manual asks for), so a fresh
# clone in another folder compiles from the cache of an earlier one. Without these, every compile
# that used the precompiled header was uncacheable.
CCACHE_ARGS=()
if command -v ccache >/dev/null; then
  CCACHE_ARGS=("-DCMAKE_CXX_COMPILER_LAUNCHER=/usr/bin/env;CCACHE_BASEDIR=$PWD;CCACHE_NOHASHDIR=1;CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime;ccache"
               -DCMAKE_CXX_FLAGS=-fpch-preprocess)
fi
cmake -S . -B build -G Ninja -DDOCKGATE_WERROR=ON -DCMAKE_BUILD_TYPE=Release "${CCACHE_ARGS[@]}"
cmake --build build
echo "bootstrap: built build/dockgate"
