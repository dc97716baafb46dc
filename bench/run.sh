#!/usr/bin/env bash
# The benchmark, one command: ./bench/run.sh [SIZE_MB]  (default 100)
# Gates a large trivy v2 report (and a grype report) with dockgate and, in the same run, with the
# peers users replace: a jq one-liner gate and Python's json module. Reports wall time (median of
# 3), peak RSS, throughput and the ratios. Needs the build (scripts/bootstrap.sh) plus jq and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${1:-100}"
RUNS="${RUNS:-3}"
CORPUS="${DOCKGATE_CORPUS:-tests/data/corpus}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
DOCKGATE=./build/dockgate
[ -x "$DOCKGATE" ] || { echo "bench: build first (./scripts/bootstrap.sh)" >&2; exit 2; }
for t in jq /usr/bin/time python3; do command -v "$t" >/dev/null || { echo "bench: $t missing" >&2; exit 2; }; done

python3 bench/gen_trivy.py "$CORPUS/trivy/dd-issue_9333.json" "$WORK/trivy.json" "$SIZE_MB" >&2
python3 bench/gen_grype.py "$CORPUS/grype/dd-many_vulns3.json" "$WORK/grype.json" "$SIZE_MB" >&2

cat > "$WORK/gate.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = sum(1 for r in (d.get("Results") or []) for v in (r.get("Vulnerabilities") or []) if v.get("Severity") in ("HIGH", "CRITICAL"))
sys.exit(1 if n else 0)
PY

# measure NAME CMD... : median wall seconds and max RSS (KiB) over $RUNS runs
measure() {
  local name="$1"; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$WORK/t" "$@" >/dev/null 2>&1 || true
    # GNU time puts "Command exited with non-zero status N" first when the gate fails: read the last line.
    read -r t m < <(tail -n 1 "$WORK/t")
    times+=("$t"); [ "$m" -gt "$rss" ] && rss="$m"
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name $med $rss"
}

report() {  # FILE LABEL then lines "name secs rss"
  local file="$1" label="$2"; shift 2
  local mb
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN {printf "%.1f", b/1048576}')
  echo
  echo "## $label: $mb MB"
  printf '| %-28s | %8s | %10s | %9s | %12s |\n' "gate" "wall s" "peak RSS MB" "MB/s" "RSS / input"
  printf '|%s|%s|%s|%s|%s|\n' "------------------------------" "----------" "------------" "-----------" "--------------"
  while read -r name secs rss; do
    awk -v n="$name" -v s="$secs" -v r="$rss" -v mb="$mb" 'BEGIN {
      printf "| %-28s | %8.2f | %10.1f | %9.1f | %12.2f |\n", n, s, r/1024, (s>0? mb/s : 0), (r/1024)/mb }'
  done
}

{
  measure dockgate "$DOCKGATE" gate "$WORK/trivy.json" --fail-on high -q
  measure dockgate+json "$DOCKGATE" gate "$WORK/trivy.json" --fail-on high -q --json "$WORK/out.json"
  measure jq jq -e '[.Results[]?.Vulnerabilities[]? | select(.Severity=="HIGH" or .Severity=="CRITICAL")] | length == 0' "$WORK/trivy.json"
  measure python3-json python3 "$WORK/gate.py" "$WORK/trivy.json"
} > "$WORK/trivy.txt"
{
  measure dockgate "$DOCKGATE" gate "$WORK/grype.json" --fail-on high -q
  measure jq jq -e '[.matches[] | select(.vulnerability.severity=="High" or .vulnerability.severity=="Critical")] | length == 0' "$WORK/grype.json"
} > "$WORK/grype.txt"

report "$WORK/trivy.json" "trivy v2" < "$WORK/trivy.txt"
report "$WORK/grype.json" "grype" < "$WORK/grype.txt"
echo
dg=$(awk '$1=="dockgate" {print $2}' "$WORK/trivy.txt")
jqt=$(awk '$1=="jq" {print $2}' "$WORK/trivy.txt")
py=$(awk '$1=="python3-json" {print $2}' "$WORK/trivy.txt")
awk -v d="$dg" -v j="$jqt" -v p="$py" 'BEGIN { printf "trivy: dockgate is %.1fx faster than jq and %.1fx faster than python3 json\n", j/d, p/d }'
dg=$(awk '$1=="dockgate" {print $2}' "$WORK/grype.txt")
jqt=$(awk '$1=="jq" {print $2}' "$WORK/grype.txt")
awk -v d="$dg" -v j="$jqt" 'BEGIN { printf "grype: dockgate is %.1fx faster than jq\n", j/d }'
