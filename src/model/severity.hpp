#pragma once
#include <optional>
#include <string_view>

namespace dg::model {

// Ordered: a comparison says which is worse. Unknown sorts lowest but gates like `high`
// unless configured (policy.unknown-severity): unknown is never silently low.
enum class Severity { Unknown = 0, Info = 1, Low = 2, Medium = 3, High = 4, Critical = 5 };

std::string_view to_string(Severity s);
// Parses our own words (as written by to_string), case-insensitively.
std::optional<Severity> parse_severity(std::string_view word);
// Common scanner words: CRITICAL/HIGH/MEDIUM/LOW/UNKNOWN (trivy), Negligible (grype),
// UNDEFINED (bandit), error/warning/info/style (hadolint), blocker/major/minor (Code Climate),
// error/warning/note/none (SARIF level). Anything else is Unknown.
Severity severity_from_word(std::string_view word);
// CVSS-like score (SARIF `security-severity`): >=9 critical, >=7 high, >=4 medium, >0 low, 0 info.
Severity severity_from_score(double score);

}  // namespace dg::model
