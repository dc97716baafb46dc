#pragma once
// Exploit likelihood and known exploitation (model::Risk on a finding): how two sources of it
// combine, and how it orders findings.
#include <string>
#include <unordered_map>

#include "src/model/finding.hpp"

namespace dg::model {

// What offline feeds (CISA KEV catalog, FIRST EPSS CSV) say, by upper-case CVE id.
using RiskFeed = std::unordered_map<std::string, Risk>;

// Folds what `from` knows into `into`: known exploited when either says so, KEV details filled
// where `into` has none, the EPSS score of the later date (the higher one on the same date, or
// when neither is dated), the higher grype risk score.
void merge_risk(Risk& into, const Risk& from);

// How urgent a finding is, for ordering: severity rank (critical 5 … unknown 0) times the EPSS
// probability, or times 1 when there is no EPSS score (unknown is never silently unlikely), so
// without any EPSS data the order is the severity order.
double risk_weight(const Finding& f);

}  // namespace dg::model
