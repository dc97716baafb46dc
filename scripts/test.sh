#!/usr/bin/env bash
# The whole test suite. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

# ctest registers one test per doctest TEST_CASE and passes its name as a filter, where ',' and ';'
# are separators: such a name would silently run nothing.
if grep -rnE 'TEST_CASE\("[^"]*[,;]' tests/; then
  echo "test.sh: test case names must not contain ',' or ';' (see above)" >&2
  exit 1
fi
# ctest reads the discovered names as a CMake list, where an unbalanced '[' or ']' swallows the
# ';' separators after it: every later test disappears and ctest stops with an error.
if grep -rhoE 'TEST_CASE\("[^"]*"' tests/ | awk '{ o = gsub(/\[/, "["); c = gsub(/\]/, "]"); if (o != c) { print; bad = 1 } } END { exit !bad }'; then
  echo "test.sh: test case names must not contain an unbalanced '[' or ']' (see above)" >&2
  exit 1
fi

# Every outside program the tests use must be here (one line per missing one), or
# DOCKGATE_ALLOW_MISSING_TOOLS=1 lets ctest report the tests that need them as skipped.
scripts/check-test-tools.sh

cmake --build build
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 300

# The sanitizer suite and a short fuzz pass (fuzz/README.md): the whole suite again built with
# ASan + UBSan (CMake preset asan, build-asan/), then a repeatable pass of every libFuzzer harness.
# DOCKGATE_QUICK=1 skips both on a developer's machine; under CI=true they always run.
cd ..
if [ "${DOCKGATE_QUICK:-}" = 1 ] && [ "${CI:-}" != true ]; then
  echo "test.sh: DOCKGATE_QUICK=1: sanitizer suite and fuzz pass skipped" >&2
else
  command -v clang++-19 >/dev/null || { echo "test.sh: missing clang++-19 (scripts/bootstrap.sh installs it)" >&2; exit 1; }
  stage_start=$SECONDS
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  ctest --preset asan -j "$(nproc)"
  # Repeatable: 10,000 inputs per harness from seed 1 (60 s at most each); fuzz/run.sh 3600 explores.
  DOCKGATE_FUZZ_RUNS=${DOCKGATE_FUZZ_RUNS:-10000} fuzz/run.sh "${DOCKGATE_FUZZ_SECONDS:-60}"
  echo "test.sh: sanitizer suite and fuzz pass: $((SECONDS - stage_start)) s"
fi
