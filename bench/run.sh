#!/usr/bin/env bash
# The benchmark, one command: ./bench/run.sh [SIZE_MB]  (default 100; ROUNDS=7)
# Builds large reports from real corpus entries, then runs every command once per round in shuffled
# order (bench/rounds.py) and prints median wall and CPU time, peak RSS, and per-round ratios against
# the peers users replace, all measured in the same run: a jq one-liner gate, npm's sarif-junit, and
# `jq -s` over shard results. dockgate writes the outputs a user writes (--json; --json --sarif --junit).
# Needs the build (scripts/bootstrap.sh), jq, python3 and the npm tools in tools/.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${1:-100}"
ROUNDS="${ROUNDS:-7}"
CORPUS="${DOCKGATE_CORPUS:-tests/data/corpus}"
DOCKGATE="$PWD/build/dockgate"
SARIF_JUNIT="$PWD/tools/node_modules/.bin/sarif-junit"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
[ -x "$DOCKGATE" ] || { echo "bench: build first (./scripts/bootstrap.sh)" >&2; exit 2; }
cp "$DOCKGATE" "$WORK/dockgate" && DOCKGATE="$WORK/dockgate"  # the binary measured stays the same all run
# The release binary (`cmake --build build --target dockgate-portable`: -O2, sections collected),
# when built, is measured beside the -O3 one.
PORTABLE=""
if [ -x build/dockgate-portable ]; then cp build/dockgate-portable "$WORK/dockgate-portable" && PORTABLE="$WORK/dockgate-portable"; fi
for t in jq python3 "$SARIF_JUNIT"; do command -v "$t" >/dev/null || { echo "bench: $t missing (./scripts/bootstrap.sh installs it)" >&2; exit 2; }; done

echo "bench: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds" >&2
T="$WORK/trivy.json" T3="$WORK/trivy-x3.json" G="$WORK/grype.json" S="$WORK/big.sarif"
python3 bench/gen_trivy.py "$CORPUS/trivy/dd-issue_9333.json" "$T" "$SIZE_MB" >&2
python3 bench/gen_trivy.py "$CORPUS/trivy/dd-issue_9333.json" "$T3" "$((SIZE_MB * 3))" >&2
python3 bench/gen_grype.py "$CORPUS/grype/dd-many_vulns3.json" "$G" "$SIZE_MB" >&2
# The SARIF input: dockgate's own SARIF of a trivy report half the size (about what trivy -f sarif writes).
python3 bench/gen_trivy.py "$CORPUS/trivy/dd-issue_9333.json" "$WORK/half.json" "$((SIZE_MB / 2))" >&2
"$DOCKGATE" gate "$WORK/half.json" --fail-on none -q --sarif "$S"
rm -f "$WORK/half.json"
# 64 shard results of ~500 findings each, as a matrix of jobs would write them.
mkdir -p "$WORK/shards"
for i in $(seq 0 63); do
  python3 bench/gen_trivy.py "$CORPUS/trivy/dd-issue_9333.json" "$WORK/shard.json" 1.1 $((i * 500)) >/dev/null
  "$DOCKGATE" gate "$WORK/shard.json" --fail-on none -q --json "$WORK/shards/shard-$i.json"
done
rm -f "$WORK/shard.json"
# `dockgate run` with four scanners that each sleep 1 s (the test suite's fake tools).
mkdir -p "$WORK/run"
printf 'FROM python:3.12-slim\nUSER app\nCMD ["python"]\n' > "$WORK/run/Dockerfile"
cat > "$WORK/run/dockgate.yml" <<YML
image: app:dev
dockerfile: Dockerfile
steps:
  lint: { tool: hadolint }
  trivy: {}
  grype: {}
  bandit: { tool: fake-bandit, paths: [src] }
YML
mkdir -p "$WORK/run/src"

# The start-up floor: an empty program linking the shared libraries dockgate links (Debian ships
# fmt, spdlog and simdjson as shared libraries only: loading them is most of a start-up).
FLOOR="$WORK/startup-floor"
printf 'int main() { return 0; }\n' | c++ -x c++ - -o "$FLOOR" -Wl,--no-as-needed \
  -lpugixml -lspdlog -lfmt -lyaml-cpp -lsimdjson -lnettle -lstdc++ || FLOOR=""

python3 - "$WORK" "$DOCKGATE" "$SARIF_JUNIT" "$PWD" "$CORPUS" "$PORTABLE" "$FLOOR" > "$WORK/plan.json" <<'PY'
import glob, json, os, sys
work, dg, sarif_junit, root, corpus, portable, floor = sys.argv[1:8]
T, T3, G, S = (os.path.join(work, n) for n in ("trivy.json", "trivy-x3.json", "grype.json", "big.sarif"))
o = lambda n: os.path.join(work, "out", n)
os.makedirs(os.path.join(work, "out"), exist_ok=True)
shards = sorted(glob.glob(os.path.join(work, "shards", "*.json")))
jq_trivy = '[.Results[]?.Vulnerabilities[]? | select(.Severity=="HIGH" or .Severity=="CRITICAL")] | length == 0'
jq_grype = '[.matches[] | select(.vulnerability.severity=="High" or .vulnerability.severity=="Critical")] | length == 0'
fake = {"PATH": os.path.join(root, "tests/data/fake-tools") + ":" + os.environ["PATH"]}
for t, rep in (("TRIVY", "trivy/golden-alpine-310.json"), ("GRYPE", "grype/snap-head-json-image.json"),
               ("HADOLINT", "hadolint/dd-one_dockerfile.json"), ("BANDIT", "bandit/dd-one_vuln.json")):
    fake["FAKE_%s_REPORT" % t] = os.path.join(root, corpus, rep)
    fake["FAKE_%s_SLEEP" % t] = "1"
commands = {
    "dg-trivy-json": {"argv": [dg, "gate", T, "--fail-on", "high", "-q", "--json", o("t.json")]},
    "dg-trivy": {"argv": [dg, "gate", T, "--fail-on", "high", "-q"]},
    "dg-trivy-all": {"argv": [dg, "gate", T, "--fail-on", "high", "-q", "--json", o("t.json"),
                              "--sarif", o("t.sarif"), "--junit", o("t.xml")]},
    "jq-trivy": {"argv": ["jq", "-e", jq_trivy, T]},
    "cat-trivy": {"argv": ["cat", T]},
    "dg-trivy-x3": {"argv": [dg, "gate", T3, "--fail-on", "high", "-q", "--json", o("t3.json")]},
    "dg-grype-json": {"argv": [dg, "gate", G, "--fail-on", "high", "-q", "--json", o("g.json")]},
    "jq-grype": {"argv": ["jq", "-e", jq_grype, G]},
    "dg-sarif-junit": {"argv": [dg, "gate", S, "--fail-on", "none", "-q", "--junit", o("s.xml")]},
    "sarif-junit": {"argv": [sarif_junit, "-i", S, "-o", o("s-peer.xml")], "ok_codes": [0]},
    "dg-merge": {"argv": [dg, "merge", *shards, "-o", o("merged.json"), "--fail-on", "none", "-q"]},
    "jq-merge": {"argv": ["jq", "-s", "[.[].steps[].findings | length] | add", *shards], "ok_codes": [0]},
    "dg-run4": {"argv": [dg, "run", "--json", o("run.json"), "-q"], "cwd": os.path.join(work, "run"), "env": fake},
    "dg-version": {"argv": [dg, "--version"], "repeat": 50},
    "jq-version": {"argv": ["jq", "--version"], "repeat": 50},
}
if floor:
    commands["floor-version"] = {"argv": [floor, "--version"], "repeat": 50}
if portable:
    commands["rel-trivy-json"] = {"argv": [portable, "gate", T, "--fail-on", "high", "-q", "--json", o("r.json")]}
    commands["rel-version"] = {"argv": [portable, "--version"], "repeat": 50}
rows = [
    {"work": "gate trivy, `--fail-on high --json out.json`", "ours": "dg-trivy-json", "peer": "jq-trivy",
     "peer_label": "jq one-liner", "input": T, "goal": "≥ 10×, RSS ≤ 1.5× input"},
    {"work": "same without `--json`", "ours": "dg-trivy", "peer": "jq-trivy", "peer_label": "jq one-liner",
     "input": T, "goal": "≥ 15×"},
    {"work": "same with `--json --sarif --junit`", "ours": "dg-trivy-all", "peer": "jq-trivy",
     "peer_label": "jq one-liner", "input": T, "goal": ""},
    {"work": "read floor: `cat` of the trivy report", "ours": "cat-trivy", "peer": "dg-trivy-json",
     "peer_label": "dockgate --json", "input": T, "goal": "(ratio = dockgate ÷ cat)"},
    {"work": "gate grype `--json`", "ours": "dg-grype-json", "peer": "jq-grype", "peer_label": "jq one-liner",
     "input": G, "goal": "≥ 10×, RSS ≤ 1.5×"},
    {"work": "SARIF → `--junit`", "ours": "dg-sarif-junit", "peer": "sarif-junit", "peer_label": "npm sarif-junit",
     "input": S, "goal": "≥ 5×, RSS ≤ 1.5×"},
    {"work": "`merge` of %d shard results" % len(shards), "ours": "dg-merge", "peer": "jq-merge",
     "peer_label": "`jq -s` count", "input": None, "goal": "≥ 3×"},
    {"work": "`run`, 4 tools × 1 s sleep, default jobs", "ours": "dg-run4", "peer": None, "input": None,
     "goal": "≤ 1.2 s"},
    {"work": "start-up: `dockgate --version`", "ours": "dg-version", "peer": "jq-version",
     "peer_label": "`jq --version`", "input": None, "goal": "≤ 1.5× the floor below"},
]
if floor:
    rows += [
        {"work": "start-up floor: an empty program linking the same shared libraries", "ours": "floor-version",
         "peer": "dg-version", "peer_label": "`dockgate --version`", "input": None,
         "goal": "(ratio = dockgate ÷ floor)"},
    ]
if portable:
    rows += [
        {"work": "release binary (-O2): gate trivy `--json`", "ours": "rel-trivy-json", "peer": "dg-trivy-json",
         "peer_label": "the -O3 build", "input": T, "goal": "(ratio = -O3 ÷ -O2 time)"},
        {"work": "release binary (-O2): start-up", "ours": "rel-version", "peer": "jq-version",
         "peer_label": "`jq --version`", "input": None, "goal": "≤ 1.5× the floor"},
    ]
json.dump({"commands": commands, "rows": rows,
           "scaling": {"small": "dg-trivy-json", "large": "dg-trivy-x3", "small_input": T, "large_input": T3}},
          sys.stdout)
PY
echo
echo "## dockgate vs peers, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the start"
echo
python3 bench/rounds.py "$WORK/plan.json" "$ROUNDS"
