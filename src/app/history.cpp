#include "src/app/history.hpp"

#include <algorithm>

#include "adapters/ingest/sniff.hpp"

namespace dg::app {

util::Expected<std::vector<report::TrendPoint>> load_history(const std::vector<std::string>& paths) {
  struct Dated {
    std::string when;
    report::TrendPoint point;
  };
  std::vector<Dated> all;
  for (auto& path : paths) {
    auto parsed = ingest::parse_report(path, "dockgate");
    if (!parsed) return std::unexpected(parsed.error());
    model::Run run = parsed->run ? std::move(*parsed->run) : model::Run{};
    run.steps = std::move(parsed->steps);
    std::string when = run.finished_at.empty() ? run.started_at : run.finished_at;
    // "2026-11-23T15:02:30Z" -> "2026-11-23 15:02": a day can hold several runs.
    std::string label = when.size() >= 16 ? when.substr(0, 10) + " " + when.substr(11, 5) : path;
    all.push_back({when, report::trend_point(run, label)});
  }
  std::ranges::stable_sort(all, [](auto& a, auto& b) { return a.when < b.when; });
  std::vector<report::TrendPoint> out;
  out.reserve(all.size());
  for (auto& d : all) out.push_back(std::move(d.point));
  return out;
}

}  // namespace dg::app
