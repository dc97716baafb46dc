#include "src/model/step_result.hpp"

#include "src/util/text.hpp"

namespace dg::model {

std::string_view to_string(StepStatus s) {
  switch (s) {
    case StepStatus::Passed: return "passed";
    case StepStatus::Failed: return "failed";
    case StepStatus::Skipped: return "skipped";
    case StepStatus::Error: break;
  }
  return "error";
}

StepStatus parse_step_status(std::string_view s) {
  if (util::iequals(s, "passed")) return StepStatus::Passed;
  if (util::iequals(s, "failed")) return StepStatus::Failed;
  if (util::iequals(s, "skipped")) return StepStatus::Skipped;
  return StepStatus::Error;
}

}  // namespace dg::model
