#pragma once
// Baseline diff: which findings are new since a previous result, which are unchanged, which
// are gone.
#include <cstddef>

#include "src/model/run.hpp"

namespace dg::policy {

struct BaselineOutcome {
  std::size_t new_ = 0, unchanged = 0, fixed = 0;
};

// Marks every finding of `run` New or Unchanged by fingerprint (fingerprints do not depend on
// lines, so a moved line is not new), and puts the baseline findings that are gone into
// run.fixed (marked Fixed). Findings without a fingerprint get one first, on both sides.
// Hash-based: linear in the number of findings.
BaselineOutcome diff_baseline(model::Run& run, const model::Run& baseline);

}  // namespace dg::policy
