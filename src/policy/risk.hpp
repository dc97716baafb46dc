#pragma once
// Offline exploit feeds (model::RiskFeed from --kev / --epss) applied to a run.
#include <cstddef>

#include "src/model/risk.hpp"
#include "src/model/run.hpp"

namespace dg::policy {

// Every vulnerability finding, whichever scanner reported it, takes what the feed knows about
// its rule id or any alias (case-insensitive), folded in by model::merge_risk. Returns how many
// findings the feed said something about.
std::size_t enrich(model::Run& run, const model::RiskFeed& feed);

}  // namespace dg::policy
