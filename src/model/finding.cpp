#include "src/model/finding.hpp"

#include <array>
#include <utility>

#include "src/util/text.hpp"

namespace dg::model {

static constexpr std::array<std::pair<Kind, std::string_view>, 9> kKinds{{
    {Kind::Vulnerability, "vulnerability"},
    {Kind::Misconfiguration, "misconfiguration"},
    {Kind::Secret, "secret"},
    {Kind::License, "license"},
    {Kind::Code, "code"},
    {Kind::Lint, "lint"},
    {Kind::Image, "image"},
    {Kind::Smoke, "smoke"},
    {Kind::Other, "other"},
}};

std::string_view to_string(Kind k) {
  for (auto& [kind, name] : kKinds)
    if (kind == k) return name;
  return "other";
}

Kind parse_kind(std::string_view s) {
  for (auto& [kind, name] : kKinds)
    if (util::iequals(name, s)) return kind;
  return Kind::Other;
}

std::string_view to_string(BaselineState b) {
  switch (b) {
    case BaselineState::New: return "new";
    case BaselineState::Unchanged: return "unchanged";
    case BaselineState::Fixed: return "fixed";
    case BaselineState::None: break;
  }
  return "none";
}

}  // namespace dg::model
