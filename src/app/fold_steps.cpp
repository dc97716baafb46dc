#include "src/app/fold_steps.hpp"

#include <iterator>
#include <unordered_set>

namespace dg::app {

void fold_step(std::vector<model::StepResult>& steps, model::StepResult s) {
  for (auto& existing : steps) {
    if (existing.name != s.name) continue;
    // insert() grows the vector geometrically; reserving the exact sum here reallocated (and moved
    // every finding so far) on each fold, quadratic in the number of shards.
    existing.findings.insert(existing.findings.end(), std::make_move_iterator(s.findings.begin()),
                             std::make_move_iterator(s.findings.end()));
    std::unordered_set<std::string> inputs(existing.inputs.begin(), existing.inputs.end());
    for (auto& in : s.inputs)
      if (inputs.insert(in).second) existing.inputs.push_back(in);
    existing.errors.insert(existing.errors.end(), s.errors.begin(), s.errors.end());
    if (s.status == model::StepStatus::Error) existing.status = model::StepStatus::Error;
    else if (existing.status == model::StepStatus::Skipped) existing.status = s.status;
    if (existing.tool.empty()) existing.tool = s.tool;
    if (existing.tool_version.empty()) existing.tool_version = s.tool_version;
    if (existing.format.empty()) existing.format = s.format;
    if (existing.log_excerpt.empty()) existing.log_excerpt = s.log_excerpt;
    existing.duration_ms += s.duration_ms;
    for (auto& [k, v] : s.metrics) existing.metrics[k] += v;
    return;
  }
  steps.push_back(std::move(s));
}

}  // namespace dg::app
