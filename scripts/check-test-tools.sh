#!/usr/bin/env bash
# Every outside program a test asks for (test::need / need_program, the validators in
# tests/support.*), checked before ctest runs: keep this list in step with the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

# A missing one fails here, one line each, instead of letting its tests pass without checking
# anything; DOCKGATE_ALLOW_MISSING_TOOLS=1 runs anyway and ctest lists those tests as skipped.
missing=0
require() {  # NAME CHECK-COMMAND...
  local name="$1"; shift
  if ! "$@" >/dev/null 2>&1; then
    echo "test.sh: missing $name (scripts/bootstrap.sh installs it)" >&2
    missing=$((missing + 1))
  fi
}
for t in sarif-multitool jrm action-validator; do
  require "tools/node_modules/.bin/$t (npm ci in tools/)" test -x "tools/node_modules/.bin/$t"
done
for t in xmllint jq shellcheck skopeo umoci git tar man readelf chromium dpkg-deb; do require "$t" command -v "$t"; done
require "bandit (Debian python3-bandit, /usr/bin/bandit)" test -x /usr/bin/bandit
# python3 runs the test HTTP servers and the schema checks: no test can skip it.
python3_ok=1
require "python3 with jsonschema and yaml (python3-jsonschema python3-yaml)" \
  /usr/bin/python3 -c "import jsonschema, yaml"
if ! /usr/bin/python3 -c 'import jsonschema, yaml' >/dev/null 2>&1; then python3_ok=0; fi
if [ "$missing" -gt 0 ]; then
  if [ "${DOCKGATE_ALLOW_MISSING_TOOLS:-}" != 1 ] || [ "$python3_ok" = 0 ]; then
    echo "test.sh: $missing test tool(s) missing; DOCKGATE_ALLOW_MISSING_TOOLS=1 skips the tests that need them (python3 is always required)" >&2
    exit 1
  fi
  echo "test.sh: DOCKGATE_ALLOW_MISSING_TOOLS=1: the tests that need them are reported as skipped" >&2
fi
