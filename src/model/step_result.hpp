#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "src/model/finding.hpp"

namespace dg::model {

// The six steps of DESIGN.md; a generic SARIF tool becomes a step named after the tool.
namespace step {
inline constexpr std::string_view kLint = "lint";
inline constexpr std::string_view kTrivy = "trivy";
inline constexpr std::string_view kGrype = "grype";
inline constexpr std::string_view kBandit = "bandit";
inline constexpr std::string_view kSmoke = "smoke-test";
inline constexpr std::string_view kSize = "image-size";
}  // namespace step

enum class StepStatus { Passed, Failed, Error, Skipped };
std::string_view to_string(StepStatus s);
StepStatus parse_step_status(std::string_view s);  // Error when unknown

struct StepResult {
  std::string name;          // lint, trivy, …
  std::string tool;          // hadolint, dockgate-lint, trivy, …
  std::string tool_version;
  StepStatus status = StepStatus::Passed;
  std::int64_t duration_ms = 0;
  std::vector<Finding> findings;
  std::map<std::string, double> metrics;  // image_bytes, layers, findings_merged, …
  std::vector<std::string> errors;        // why the step is in error (e.g. a file bandit could not parse)
  std::string log_excerpt;                // last lines of a failed step's output
  std::string command;                    // the command line that ran, tokens redacted (shown with -v)
  std::vector<std::string> inputs;        // the report file(s) it came from
  std::string format;                     // the recognized input format, e.g. trivy-json-v2
};

}  // namespace dg::model
