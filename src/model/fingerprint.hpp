#pragma once
#include <string>
#include <vector>

#include "src/model/finding.hpp"

namespace dg::model {

// A fingerprint that survives line moves: it hashes what the finding is about, never its line.
//  - vulnerabilities: the id (the smallest CVE among rule id and aliases, so trivy and grype
//    agree), package name, installed version and package path;
//  - everything else: tool, rule id, file path, target and the normalized snippet — never the
//    title or message, which change with the tool's database.
// Two findings that would share a fingerprint (the same rule twice in a file) are told apart by
// an occurrence counter in file order, as GitHub's partialFingerprints do.
std::string fingerprint_base(const Finding& f);

// Fills `fingerprint` for every finding of `findings` that has none.
void assign_fingerprints(std::vector<Finding>& findings);

// The id that identifies a vulnerability across scanners: the first CVE among rule id and
// aliases, or the rule id.
std::string canonical_vuln_id(const Finding& f);

}  // namespace dg::model
