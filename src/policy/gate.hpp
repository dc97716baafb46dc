#pragma once
// The whole gate over a run, in order: fingerprints, cross-scanner dedup, waivers, baseline,
// thresholds.
#include <string>
#include <vector>

#include "src/model/run.hpp"
#include "src/policy/policy.hpp"
#include "src/policy/waivers.hpp"

namespace dg::policy {

struct GateInputs {
  Policy policy;
  std::vector<WaiverRule> waivers;
  const model::Run* baseline = nullptr;  // a previous result, or none
  std::string today;                     // YYYY-MM-DD: injected so tests do not depend on the date
  bool strict_waivers = false;           // a stale waiver fails the gate
  bool dedup = true;                     // also needs policy.dedup
};

// Re-gating is idempotent: a result that is gated again (dockgate merge, gate on a result JSON)
// keeps its waivers and baseline states unless new waivers or a new baseline are given.
void gate(model::Run& run, const GateInputs& in);

}  // namespace dg::policy
