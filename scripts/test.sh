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

cmake --build build
export PATH="$PWD/tools/node_modules/.bin:$PATH"
cd build
ctest --output-on-failure -j "$(nproc)" --timeout 300
