#!/usr/bin/env bash
# The HTML report at scale: ./bench/html.sh [COUNTS...]  (default 1000 100000 findings; RUNS=3)
# Builds trivy reports of about that many findings from a corpus entry (gen_trivy.py), writes the
# page with `dockgate gate --html`, then loads it in headless chromium (tests/data/report/html_browser.py)
# and prints the page size, the time dockgate took to write it, and the browser's timings (median of
# RUNS loads): DOMContentLoaded, the script done (table built), load, and the wall time of navigate->load.
# Needs the build, python3 and chromium (scripts/bootstrap.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
CORPUS="${DOCKGATE_CORPUS:-tests/data/corpus}"
DOCKGATE="${DOCKGATE:-$PWD/build/dockgate}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -x "$DOCKGATE" ] || { echo "bench: build first (./scripts/bootstrap.sh)" >&2; exit 2; }
command -v chromium >/dev/null || { echo "bench: chromium missing (./scripts/bootstrap.sh installs it)" >&2; exit 2; }
COUNTS=("$@")
[ "${#COUNTS[@]}" -gt 0 ] || COUNTS=(1000 100000)
SRC="$CORPUS/trivy/dd-issue_9333.json"
echo "| findings | page | dockgate gate --html | DOMContentLoaded | table built | load | navigate->load |"
echo "|--:|--:|--:|--:|--:|--:|--:|"
for n in "${COUNTS[@]}"; do
  # gen_trivy.py writes by size: ~2.2 MB of this report per 1,000 findings.
  mb=$(python3 -c "print(max(0.05, $n * 2.2 / 1000))")
  python3 bench/gen_trivy.py "$SRC" "$WORK/t.json" "$mb" >/dev/null
  start=$(date +%s.%N)
  "$DOCKGATE" gate "$WORK/t.json" --fail-on none -q --html "$WORK/p.html" --json "$WORK/r.json"
  gate_s=$(python3 -c "import time;print('%.2f s' % (time.time() - $start))")
  found=$(python3 -c "import json;d=json.load(open('$WORK/r.json'));print(sum(len(s['findings']) for s in d['steps']))")
  size=$(stat -c %s "$WORK/p.html")
  for i in $(seq 1 "$RUNS"); do
    python3 tests/data/report/html_browser.py "$WORK/p.html" "$WORK/p.png" "$WORK/dom.html" --timeout 300 >"$WORK/load-$i.json"
  done
  python3 - "$found" "$size" "$gate_s" "$WORK" "$RUNS" <<'PY'
import json, statistics, sys
found, size, gate_s, work, runs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
loads = [json.load(open("%s/load-%d.json" % (work, i)))["timing"] for i in range(1, runs + 1)]
med = lambda k: "%.0f ms" % statistics.median(l[k] or 0 for l in loads)
print("| {:,} | {:.1f} MB | {} | {} | {} | {} | {} |".format(found, size / 1e6, gate_s, med("dom_content_loaded_ms"),
      med("script_done_ms"), med("load_ms"), med("wall_ms")))
PY
done
