#include "src/policy/baseline.hpp"

#include <unordered_set>

#include "src/model/fingerprint.hpp"

namespace dg::policy {
namespace {

// The baseline's findings of one step with fingerprints: as they are, or (an older or
// hand-written baseline) a fingerprinted copy.
template <class Fn>
void each_fingerprinted(const model::StepResult& step, Fn&& fn) {
  bool missing = false;
  for (auto& f : step.findings) missing = missing || f.fingerprint.empty();
  if (!missing) {
    for (auto& f : step.findings) fn(f);
    return;
  }
  auto copy = step.findings;
  model::assign_fingerprints(copy);
  for (auto& f : copy) fn(f);
}

}  // namespace

BaselineOutcome diff_baseline(model::Run& run, const model::Run& baseline) {
  BaselineOutcome out;
  std::unordered_set<std::string> before, now;
  for (auto& step : baseline.steps)
    each_fingerprinted(step, [&](const model::Finding& f) { before.insert(f.fingerprint); });
  for (auto& step : run.steps) {
    model::assign_fingerprints(step.findings);
    for (auto& f : step.findings) {
      now.insert(f.fingerprint);
      if (before.contains(f.fingerprint)) {
        f.baseline = model::BaselineState::Unchanged;
        ++out.unchanged;
      } else {
        f.baseline = model::BaselineState::New;
        ++out.new_;
      }
    }
  }
  run.fixed.clear();
  for (auto& step : baseline.steps) {
    each_fingerprinted(step, [&](const model::Finding& f) {
      if (!now.insert(f.fingerprint).second) return;  // still there, or already listed as fixed
      model::Finding gone = f;
      gone.baseline = model::BaselineState::Fixed;
      gone.waiver.reset();
      run.fixed.push_back(std::move(gone));
      ++out.fixed;
    });
  }
  return out;
}

}  // namespace dg::policy
