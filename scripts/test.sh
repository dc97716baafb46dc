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
