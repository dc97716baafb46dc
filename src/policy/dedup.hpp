#pragma once
// Cross-scanner dedup: the same vulnerability reported by trivy and grype is one finding.
#include <cstddef>

#include "src/model/run.hpp"

namespace dg::policy {

// Two vulnerability findings from different tools are the same when they name the same package
// (name and installed version) and share an id: the rule id or any alias, compared
// case-insensitively (CVE-…, GHSA-…). The first one in step order stays where it is and absorbs
// the other: sources and aliases are united, the higher severity wins and every source's own
// severity is kept in source_severities ("trivy:high", "grype:critical"), a fixed version or
// purl the first lacked is taken from the second, and their risk data (EPSS, KEV) are combined
// (model::merge_risk). The second is removed from its step.
// Findings of the same tool are never merged (the same CVE at two paths stays two findings).
// Linear in the number of findings (hash maps keyed by package and id). Returns how many
// findings were folded away; it is also added to run.merged_duplicates and to the absorbing
// step's metrics["findings_merged"].
// Lint findings: a built-in DG rule and the hadolint code it maps to (carried as an alias) on
// the same file and line are one finding (steps.lint.tool: both).
std::size_t dedup(model::Run& run);

}  // namespace dg::policy
