#pragma once
// The whole gate over a run, in order: fingerprints, cross-scanner dedup, risk feeds, waivers, VEX,
// baseline, thresholds.
#include <string>
#include <vector>

#include "src/model/risk.hpp"
#include "src/model/run.hpp"
#include "src/policy/policy.hpp"
#include "src/policy/vex.hpp"
#include "src/policy/waivers.hpp"

namespace dg::policy {

struct GateInputs {
  Policy policy;
  std::vector<WaiverRule> waivers;
  std::vector<VexStatement> vex;         // applied after the waivers: a waiver of the user's own wins
  std::string image;                     // the image of the run, for VEX statements about it
  const model::Run* baseline = nullptr;  // a previous result, or none
  std::string today;                     // YYYY-MM-DD: injected so tests do not depend on the date
  bool strict_waivers = false;           // a stale waiver fails the gate
  bool dedup = true;                     // also needs policy.dedup
  model::RiskFeed risk_feed;             // --kev / --epss: enriches every vulnerability before policy
};

// Re-gating is idempotent: a result that is gated again (dockgate merge, gate on a result JSON)
// keeps its waivers, VEX decisions and baseline states unless new waivers, VEX documents or a new
// baseline are given.
void gate(model::Run& run, const GateInputs& in);

}  // namespace dg::policy
