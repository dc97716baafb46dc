#include <algorithm>

#include "src/report/json_result.hpp"
#include "src/report/writers.hpp"

namespace dg::report {

std::string write_console(const model::Run& run, const ConsoleOptions& opt) {
  std::string out;
  for (auto& s : run.steps) {
    std::size_t by[6] = {};
    for (auto& f : s.findings)
      if (!f.waiver) ++by[static_cast<int>(f.severity)];
    out += s.name + " (" + s.tool + "): " + std::string(model::to_string(s.status)) + ", " +
           std::to_string(s.findings.size()) + " findings";
    out += " [critical " + std::to_string(by[5]) + ", high " + std::to_string(by[4]) + ", medium " +
           std::to_string(by[3]) + ", low " + std::to_string(by[2]) + ", info " + std::to_string(by[1]) +
           ", unknown " + std::to_string(by[0]) + "]\n";
    for (auto& e : s.errors) out += "  error: " + e + "\n";
    std::vector<const model::Finding*> top;
    for (auto& f : s.findings) top.push_back(&f);
    std::size_t n = std::min(opt.top, top.size());
    std::partial_sort(top.begin(), top.begin() + static_cast<long>(n), top.end(),
                      [](auto* a, auto* b) { return a->severity > b->severity; });
    for (std::size_t i = 0; i < n; ++i) {
      auto& f = *top[i];
      out += "  " + std::string(model::to_string(f.severity)) + " " + f.rule_id + " " + f.title + "\n";
    }
  }
  out += "verdict: " + std::string(model::to_string(run.verdict)) + "\n";
  for (auto& r : run.reasons) out += "  " + r + "\n";
  return out;
}

}  // namespace dg::report
