#pragma once
// The whole gate over a run, in order: cross-scanner dedup, waivers, baseline, thresholds.
#include <string>
#include <vector>

#include "src/model/run.hpp"
#include "src/policy/policy.hpp"

namespace dg::policy {

// One waiver entry, whatever file it came from (.dockgate-waivers.yml, .trivyignore, .grype.yaml).
struct WaiverRule {
  std::string id;            // finding id or alias (CVE-…, GHSA-…)
  std::string rule;          // rule id (DL3008, B105)
  std::string package;       // package name
  std::string version;       // optional package version
  std::string path;          // path glob
  std::string fingerprint;
  std::string reason;        // required in .dockgate-waivers.yml
  std::string owner;
  std::string expires;       // YYYY-MM-DD, empty = never
  std::string source;        // file:line it came from
};

struct GateInputs {
  Policy policy;
  std::vector<WaiverRule> waivers;
  const model::Run* baseline = nullptr;  // a previous result, or none
  std::string today;                     // YYYY-MM-DD: injected so tests do not depend on the date
  bool strict_waivers = false;           // a stale waiver fails the gate
  bool dedup = true;
};

void gate(model::Run& run, const GateInputs& in);

}  // namespace dg::policy
