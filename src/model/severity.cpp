#include "src/model/severity.hpp"

#include "src/util/text.hpp"

namespace dg::model {

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Critical: return "critical";
    case Severity::High: return "high";
    case Severity::Medium: return "medium";
    case Severity::Low: return "low";
    case Severity::Info: return "info";
    case Severity::Unknown: break;
  }
  return "unknown";
}

std::optional<Severity> parse_severity(std::string_view word) {
  using util::iequals;
  for (Severity s : {Severity::Unknown, Severity::Info, Severity::Low, Severity::Medium, Severity::High,
                     Severity::Critical})
    if (iequals(word, to_string(s))) return s;
  return std::nullopt;
}

Severity severity_from_word(std::string_view word) {
  using util::iequals;
  if (auto s = parse_severity(word)) return *s;
  if (iequals(word, "blocker")) return Severity::Critical;
  if (iequals(word, "error") || iequals(word, "major")) return Severity::High;
  if (iequals(word, "warning") || iequals(word, "moderate") || iequals(word, "minor")) return Severity::Medium;
  if (iequals(word, "note") || iequals(word, "negligible") || iequals(word, "style") ||
      iequals(word, "none") || iequals(word, "informational"))
    return Severity::Info;
  return Severity::Unknown;
}

Severity severity_from_score(double score) {
  if (score >= 9.0) return Severity::Critical;
  if (score >= 7.0) return Severity::High;
  if (score >= 4.0) return Severity::Medium;
  if (score > 0.0) return Severity::Low;
  return Severity::Info;
}

}  // namespace dg::model
