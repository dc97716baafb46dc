#pragma once
// Baseline diff: which findings are new since a previous result, which are unchanged, which
// are gone.
#include <cstddef>

#include "src/model/run.hpp"

namespace dg::policy {

struct BaselineOutcome {
  std::size_t new_ = 0, unchanged = 0, fixed = 0;
  std::size_t unknown = 0;  // baseline findings of steps that errored or did not run
};

// Marks every finding of `run` New or Unchanged and puts the baseline findings that are gone into
// run.fixed (marked Fixed). A finding matches by fingerprint (fingerprints do not depend on
// lines, so a moved line is not new), and a vulnerability also by any id it shares
// ({rule_id} ∪ aliases) with a baseline vulnerability of the same package and version, so the
// comparison does not depend on which scanners reported it. Baseline findings of a step that
// errored or is absent from `run` are unknown, never fixed: run.baseline_incomplete names those
// steps. Findings without a fingerprint get one first, on both sides. Hash-based: linear in the
// number of findings.
BaselineOutcome diff_baseline(model::Run& run, const model::Run& baseline);

}  // namespace dg::policy
