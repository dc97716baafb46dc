#pragma once
// Running a scanner (hadolint, trivy, grype, bandit) as a child process and deciding what its
// exit code means. The report it wrote is handed back by path: turning it into findings is the
// ingest adapters' job (src/app wires the two), so this layer never parses a report.
#include <filesystem>
#include <string>
#include <vector>

#include "src/steps/step_config.hpp"

namespace dg::steps {

// One planned invocation. When `argv` is empty the step ingests `report` as it is (steps.X.report).
struct ToolInvocation {
  std::string step;                  // lint, trivy, grype, bandit
  std::string tool;                  // hadolint, trivy, grype, bandit
  std::string family;                // what the report is parsed as ("auto" for a user's report)
  std::vector<std::string> argv;
  std::filesystem::path report;
  bool report_on_stdout = false;     // hadolint writes JSON to stdout: we save it to `report`
  // Exit codes that mean "ran and found something" (trivy --exit-code N, grype --fail-on 2,
  // bandit 1, hadolint 1); 0 is always fine, anything else is an error.
  std::vector<int> findings_exit_codes;
  std::string install_hint;          // shown when the executable is not on PATH
  Seconds timeout{600};
};

// What running it gave: either a report to ingest, or an error with the tool's last words.
struct ToolOutcome {
  std::string step;
  std::string tool;
  std::string family;
  std::filesystem::path report;      // valid when errors is empty
  bool ran = false;                  // false when an existing report is ingested
  bool findings_exit = false;        // the exit code said "found something"
  int exit_code = -1;
  std::vector<std::string> errors;   // non-empty = step error
  std::string log_excerpt;           // the last lines of stderr, when it failed
  std::string command;               // the command line that ran, secrets redacted (for -v and the result)
  std::int64_t duration_ms = 0;
  int cancelled = 0;                 // the signal that interrupted it
};

// Plans for the four scanners. `results_dir` is where reports go; `target` is the image
// (trivy, grype) or the Dockerfile (hadolint). Extra `args` always come last.
ToolInvocation plan_hadolint(const ToolStep& cfg, const std::string& dockerfile, const std::filesystem::path& results_dir);
ToolInvocation plan_trivy(const ToolStep& cfg, const std::string& image, const std::filesystem::path& results_dir);
ToolInvocation plan_grype(const ToolStep& cfg, const std::string& image, const std::filesystem::path& results_dir);
ToolInvocation plan_bandit(const ToolStep& cfg, const std::filesystem::path& results_dir);

// Runs the invocation (or checks the existing report). Never throws; every failure is in
// `errors`: a missing executable (with the install hint), a crash, a timeout, an exit code that
// means error, a missing or empty report.
ToolOutcome run_tool(const ToolInvocation& inv);

// The install hint for a tool we know, e.g. "trivy not found on PATH: see https://…".
std::string not_found_message(const std::string& tool, const std::string& executable);

// The command line as shown to people (-v, the result's step.command): words quoted where a
// shell would need it, secrets replaced by *** (the value of a --*token*, --*password* or
// --*secret* flag, and any word that looks like a token).
std::string redacted_command(const std::vector<std::string>& argv);

}  // namespace dg::steps
