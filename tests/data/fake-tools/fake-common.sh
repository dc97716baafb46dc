# Shared by the fake scanners in this directory (sourced, not run). Each fake behaves as the real
# tool would at the level dockgate sees: it writes a report where told to, then exits with the
# tool's code. Controlled by environment variables, TOOL being TRIVY, GRYPE, HADOLINT or BANDIT:
#   FAKE_TOOL_REPORT  a real report (from the corpus) to copy to the output
#   FAKE_TOOL_MODE    ok (default) | findings (exit with the "found something" code)
#                     | crash (dies by SIGSEGV) | no-report (exit 0, write nothing) | fail (stderr + error exit)
#   FAKE_TOOL_SLEEP   seconds to sleep first
#   FAKE_TOOL_EXIT    exit code for findings / fail
#   FAKE_ARGS_LOG     a file each invocation appends its arguments to
#   FAKE_DAEMON_PID   start a child that calls setsid() (leaving the process group, as a daemon
#                     does), sleeps 30 s, and writes its pid to this file; it must not outlive dockgate
ulimit -c 0 2>/dev/null

# fake_run TOOL OUTPUT FINDINGS_EXIT ERROR_EXIT  (OUTPUT "-" = stdout)
fake_run() {
  tool=$1 out=$2 findings_exit=$3 error_exit=$4
  upper=$(echo "$tool" | tr '[:lower:]' '[:upper:]')
  eval "report=\${FAKE_${upper}_REPORT:-}"
  eval "mode=\${FAKE_${upper}_MODE:-ok}"
  eval "delay=\${FAKE_${upper}_SLEEP:-0}"
  eval "code=\${FAKE_${upper}_EXIT:-}"
  if [ -n "${FAKE_ARGS_LOG:-}" ]; then echo "$tool $FAKE_ALL_ARGS" >> "$FAKE_ARGS_LOG"; fi
  if [ -n "${FAKE_DAEMON_PID:-}" ]; then
    # Its output goes nowhere: a daemon holding our stdout would keep the step's pipe open.
    setsid sh -c 'echo $$ > "$1.tmp" && mv "$1.tmp" "$1" && exec sleep 30' sh "$FAKE_DAEMON_PID" \
      </dev/null >/dev/null 2>&1 &
    while [ ! -s "$FAKE_DAEMON_PID" ]; do sleep 0.05; done
  fi
  if [ "$delay" != 0 ]; then sleep "$delay"; fi
  case $mode in
    crash)
      echo "$tool: panic: runtime error: invalid memory address or nil pointer dereference" >&2
      kill -SEGV $$
      sleep 5
      exit 99 ;;
    no-report)
      echo "$tool: scan finished" >&2
      exit 0 ;;
    fail)
      echo "$tool: fatal error: unable to initialize the scanner" >&2
      exit "${code:-$error_exit}" ;;
  esac
  if [ -z "$report" ] || [ ! -r "$report" ]; then
    echo "$tool (fake): FAKE_${upper}_REPORT is not set to a readable file" >&2
    exit "$error_exit"
  fi
  if [ "$out" = "-" ]; then cat "$report"; else cat "$report" > "$out"; fi
  if [ "$mode" = findings ]; then exit "${code:-$findings_exit}"; fi
  exit 0
}
