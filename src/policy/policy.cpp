#include "src/policy/policy.hpp"

namespace dg::policy {
using model::Severity;

static Severity effective(const model::Finding& f, const Policy& p) {
  return f.severity == Severity::Unknown ? p.unknown_as : f.severity;
}

bool counts(const model::Finding& f, const Policy& p, const StepPolicy* sp) {
  if (f.waiver) return false;
  bool ignore_unfixed = sp && sp->ignore_unfixed ? *sp->ignore_unfixed : p.ignore_unfixed;
  if (ignore_unfixed && f.kind == model::Kind::Vulnerability && f.package.fixed_version.empty()) return false;
  if (p.new_only && f.baseline == model::BaselineState::Unchanged) return false;
  return true;
}

void evaluate(model::Run& run, const Policy& p) {
  run.reasons.clear();
  bool failed = false, errored = false;
  for (auto& step : run.steps) {
    if (step.status == model::StepStatus::Error) {
      errored = true;
      std::string why = step.errors.empty() ? "the step could not run" : step.errors.front();
      run.reasons.push_back(step.name + ": error: " + why);
      continue;
    }
    if (step.status == model::StepStatus::Skipped) continue;
    const StepPolicy* sp = nullptr;
    if (auto it = p.steps.find(step.name); it != p.steps.end()) sp = &it->second;
    std::optional<Severity> fail_on = sp && sp->has_fail_on ? sp->fail_on : p.fail_on;
    std::map<Severity, long> max = p.max;
    if (sp)
      for (auto& [s, n] : sp->max) max[s] = n;
    std::map<Severity, long> counted;
    for (auto& f : step.findings)
      if (counts(f, p, sp)) ++counted[effective(f, p)];
    bool step_failed = false;
    for (auto& [sev, n] : counted) {
      auto m = max.find(sev);
      if (m != max.end()) {
        if (n > m->second) {
          step_failed = true;
          run.reasons.push_back(step.name + ": " + std::to_string(n) + " " + std::string(model::to_string(sev)) +
                                " findings, at most " + std::to_string(m->second) + " allowed");
        }
      } else if (fail_on && sev >= *fail_on && n > 0) {
        step_failed = true;
        run.reasons.push_back(step.name + ": " + std::to_string(n) + " " + std::string(model::to_string(sev)) +
                              " findings at or above fail-on " + std::string(model::to_string(*fail_on)));
      }
    }
    // Steps with a verdict of their own (smoke test down, image over budget) say so as
    // critical findings, so re-gating a saved result recomputes every status the same way.
    step.status = step_failed ? model::StepStatus::Failed : model::StepStatus::Passed;
    failed = failed || step_failed;
  }
  run.verdict = errored ? model::Verdict::Error : failed ? model::Verdict::Fail : model::Verdict::Pass;
  if (run.reasons.empty()) run.reasons.push_back("every step passed the policy");
}

}  // namespace dg::policy
