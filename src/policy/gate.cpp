#include "src/policy/gate.hpp"

#include "src/model/fingerprint.hpp"
#include "src/policy/baseline.hpp"
#include "src/policy/dedup.hpp"

namespace dg::policy {

void gate(model::Run& run, const GateInputs& in) {
  for (auto& step : run.steps) model::assign_fingerprints(step.findings);
  if (in.dedup && in.policy.dedup) dedup(run);

  if (!in.waivers.empty()) {
    // New waivers replace whatever an earlier gate of this result applied.
    for (auto& step : run.steps)
      for (auto& f : step.findings)
        // A suppression written by the tool itself (SARIF) is not ours to replace.
        if (!f.waiver || f.waiver->id != "sarif-suppression") f.waiver.reset();
    run.waiver_notices.clear();
    apply_waivers(run, in.waivers, in.today);
  }
  if (in.baseline) diff_baseline(run, *in.baseline);

  evaluate(run, in.policy);

  std::size_t stale = 0;
  for (auto& n : run.waiver_notices) stale += n.state == "stale";
  if (in.strict_waivers && stale > 0) {
    if (run.verdict == model::Verdict::Pass) {
      run.verdict = model::Verdict::Fail;
      run.reasons.clear();
    }
    for (auto& n : run.waiver_notices)
      if (n.state == "stale")
        run.reasons.push_back("waivers: " + n.id + (n.source.empty() ? "" : " (" + n.source + ")") +
                              " matches no finding (strict-waivers)");
  }
}

}  // namespace dg::policy
