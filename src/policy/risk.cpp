#include "src/policy/risk.hpp"

#include <algorithm>
#include <cctype>

namespace dg::policy {

std::size_t enrich(model::Run& run, const model::RiskFeed& feed) {
  if (feed.empty()) return 0;
  std::size_t touched = 0;
  std::string up;
  for (auto& step : run.steps)
    for (auto& f : step.findings) {
      if (f.kind != model::Kind::Vulnerability) continue;
      bool any = false;
      auto look = [&](const std::string& id) {
        up = id;
        std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        if (auto it = feed.find(up); it != feed.end()) {
          model::merge_risk(f.risk, it->second);
          any = true;
        }
      };
      look(f.rule_id);
      for (auto& a : f.aliases) look(a);
      touched += any;
    }
  return touched;
}

}  // namespace dg::policy
