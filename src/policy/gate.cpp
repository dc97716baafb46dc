#include "src/policy/gate.hpp"

#include "src/model/fingerprint.hpp"
#include "src/policy/baseline.hpp"
#include "src/policy/dedup.hpp"
#include "src/policy/risk.hpp"

namespace dg::policy {

void gate(model::Run& run, const GateInputs& in) {
  for (auto& step : run.steps) model::assign_fingerprints(step.findings);
  if (in.dedup && in.policy.dedup) dedup(run);
  enrich(run, in.risk_feed);

  bool new_vex = !in.vex.empty();
  if (!in.waivers.empty()) {
    // New waivers replace whatever an earlier gate of this result applied (VEX decisions only
    // when new VEX documents are given too).
    for (auto& step : run.steps)
      for (auto& f : step.findings) {
        if (!f.waiver) continue;
        // A suppression written by the tool itself (SARIF) is not ours to replace.
        if (f.waiver->id == "sarif-suppression" || (is_vex(*f.waiver) && !new_vex)) continue;
        f.waiver.reset();
      }
    std::erase_if(run.waiver_notices, [&](const model::WaiverNotice& n) { return new_vex || !is_vex(n); });
    apply_waivers(run, in.waivers, in.today);
  }
  if (new_vex) {
    for (auto& step : run.steps)
      for (auto& f : step.findings)
        if (f.waiver && is_vex(*f.waiver)) f.waiver.reset();
    std::erase_if(run.waiver_notices, [](const model::WaiverNotice& n) { return is_vex(n); });
    apply_vex(run, in.vex, in.image);
  }
  if (in.baseline) diff_baseline(run, *in.baseline);

  evaluate(run, in.policy);

  std::size_t stale = 0;
  // A VEX document speaks for more than this run (other images, other versions): a statement
  // that matches nothing here is reported, never a failure.
  for (auto& n : run.waiver_notices) stale += n.state == "stale" && !is_vex(n);
  if (in.strict_waivers && stale > 0) {
    if (run.verdict == model::Verdict::Pass) {
      run.verdict = model::Verdict::Fail;
      run.reasons.clear();
    }
    for (auto& n : run.waiver_notices)
      if (n.state == "stale" && !is_vex(n))
        run.reasons.push_back("waivers: " + n.id + (n.source.empty() ? "" : " (" + n.source + ")") +
                              " matches no finding (strict-waivers)");
  }
}

}  // namespace dg::policy
