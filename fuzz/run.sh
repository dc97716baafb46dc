#!/usr/bin/env bash
# Runs every libFuzzer harness (or the ones named) for SECONDS each, one after the other, under
# nice: fuzz/run.sh 3600 for a long local run, scripts/test.sh a short repeatable pass.
#   fuzz/run.sh [SECONDS] [HARNESS...]     HARNESS: report sarif xml bandit config waivers …
# The harnesses come from the asan preset (cmake --preset asan && cmake --build --preset asan).
# Under BUILD/fuzz: seeds/ (fuzz/seeds.sh, rebuilt when missing), corpus/ (what the runs found,
# kept between runs), artifacts/ (crash-*, oom-*, timeout-*, slow-unit-*) and stats.tsv (one line
# per harness and run: date, harness, seconds, executions, coverage, corpus size, result).
# Exit status 1 when any harness found a crash, a leak, a hang (-timeout) or an OOM (-rss_limit_mb).
# DOCKGATE_FUZZ_RUNS=N makes a run repeatable: N inputs per harness from a fixed seed
# (DOCKGATE_FUZZ_SEED, default 1), SECONDS only as a ceiling. scripts/test.sh runs it so, so that
# CI's verdict does not depend on luck and `CI=true scripts/test.sh` here finds what CI would.
# DOCKGATE_FUZZ_NICE (default 19) and DOCKGATE_FUZZ_TIMEOUT (seconds per input, default 10): beside
# busy jobs a nice-19 fuzzer gets ~1 % of a core, and an input of 0.1 s then passes 10 s (a false
# "timeout"); run it at 0 there, or give it more time.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
build=${DOCKGATE_FUZZ_BUILD:-build-asan}
work=$build/fuzz
all=(report sarif xml bandit config waivers dockerfile image_config layer oci_layout docker_archive feeds)
harnesses=("$@")
[ "${#harnesses[@]}" -gt 0 ] || harnesses=("${all[@]}")

dict_of() {
  case $1 in
    report|sarif|image_config|feeds) echo fuzz/json.dict ;;
    xml) echo fuzz/xml.dict ;;
    config|waivers) echo fuzz/yaml.dict ;;
    dockerfile) echo fuzz/dockerfile.dict ;;
    *) ;;
  esac
}

[ -d "$work/seeds" ] || fuzz/seeds.sh "$work/seeds" >/dev/null
mkdir -p "$work/artifacts" "$work/corpus"
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=()
for h in "${harnesses[@]}"; do
  bin=$work/fuzz_$h
  [ -x "$bin" ] || { echo "fuzz: $bin is missing (cmake --build --preset asan)" >&2; exit 2; }
  mkdir -p "$work/corpus/$h" "$work/artifacts/$h" "$work/seeds/$h"
  log=$work/artifacts/$h/last.log
  dict=$(dict_of "$h")
  # -timeout: one input taking 10 s is a hang (the inputs are at most 64 KiB); -rss_limit_mb: the
  # real limits are far below 2 GB, so more is a blow-up. New inputs go to corpus/, not seeds/.
  rc=0
  repeatable=()
  if [ -n "${DOCKGATE_FUZZ_RUNS:-}" ]; then
    repeatable=(-runs="$DOCKGATE_FUZZ_RUNS" -seed="${DOCKGATE_FUZZ_SEED:-1}")
  fi
  nice -n "${DOCKGATE_FUZZ_NICE:-19}" "$bin" "${repeatable[@]}" -max_total_time="$seconds" \
    -timeout="${DOCKGATE_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/$h/" ${dict:+-dict="$dict"} \
    "$work/corpus/$h" "$work/seeds/$h" > "$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  units=$(find "$work/corpus/$h" -type f | wc -l)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result="FAILED ($(grep -m1 -oE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer)[^(]*|runtime error:.*|SUMMARY:.*' "$log" || echo "exit $rc"))"
    failed+=("$h")
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" "$seconds" "${execs:-0}" "${cov:-0}" "$units" "$result" >> "$work/stats.tsv"
  echo "fuzz: $h: ${execs:-0} executions in ${seconds}s, coverage ${cov:-0}, corpus $units: $result"
  if [ "$rc" -ne 0 ]; then
    grep -E 'ERROR:|SUMMARY:|runtime error|^    #[0-9]+ ' "$log" | head -25 >&2 || true
    for a in "$work/artifacts/$h"/*-*; do if [ -e "$a" ]; then echo "fuzz: artifact $a" >&2; fi; done
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]} (logs and inputs under $work/artifacts; reproduce with $work/fuzz_NAME FILE)" >&2
  exit 1
fi
