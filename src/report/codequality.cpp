// GitLab Code Quality: the Code Climate issue format GitLab's MR widget reads.
#include <nlohmann/json.hpp>

#include <unordered_set>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/writers.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

using json = nlohmann::ordered_json;

// GitLab has five levels and we have six: shift by one so "critical" lands on "blocker"
// (it blocks the merge) and each of our levels stays distinct in the widget's ordering.
// Unknown gates like high, so it shows like high. A finding the policy does not count (unfixed
// under ignore-unfixed, below fail-on, not new) never shows as blocker or critical: the widget
// must not show a failure the verdict does not have; its severity still orders it (minor for
// high and worse, info for the rest) and the description says why it does not count.
std::string cq_severity(const model::Finding& f) {
  if (!f.gating) {
    bool high = f.severity == model::Severity::Critical || f.severity == model::Severity::High ||
                f.severity == model::Severity::Unknown;
    return high ? "minor" : "info";
  }
  switch (f.severity) {
    case model::Severity::Critical: return "blocker";
    case model::Severity::High:
    case model::Severity::Unknown: return "critical";
    case model::Severity::Medium: return "major";
    case model::Severity::Low: return "minor";
    case model::Severity::Info: break;
  }
  return "info";
}

std::string categories(model::Kind k) {
  switch (k) {
    case model::Kind::Lint: return "Style";
    case model::Kind::Image: return "Performance";
    case model::Kind::Smoke: return "Bug Risk";
    default: break;
  }
  return "Security";
}

}  // namespace

std::string write_codequality(const model::Run& run) {
  std::string dockerfile = dockerfile_path(run);
  json issues = json::array();
  std::unordered_set<std::string> seen;
  for (auto& s : run.steps) {
    for (auto* f : worst_first(s.findings)) {
      // Waived findings are accepted risk: they stay in the result JSON and SARIF, not here.
      if (f->waiver) continue;
      std::string desc = "[" + s.name + "] " + f->rule_id + ": " + one_line(finding_text(*f));
      if (auto fix = package_fix(*f); !fix.empty()) desc += " (" + one_line(fix) + ")";
      if (f->kind == model::Kind::Vulnerability && !f->location.target.empty())
        desc += " in " + one_line(f->location.target);
      // GitLab links location.path under the commit (code_climate.rb web_url): say when it cannot be there.
      if (auto r = risk_text(*f); !r.empty()) desc += ", " + one_line(r);
      if (f->location.outside_root) desc += " (" + one_line(f->location.path) + " is outside the repository)";
      if (!f->gating && !f->why_not.empty())
        desc += " — " + std::string(model::to_string(f->severity)) + ", not counted: " + f->why_not;
      // GitLab dedups by fingerprint, so it must be unique per issue: the same vulnerability
      // reported by two steps stays two issues.
      std::string fp = util::sha256_hex(s.name + '\x1f' + f->fingerprint).substr(0, 32);
      for (int n = 2; !seen.insert(fp).second; ++n)
        fp = util::sha256_hex(s.name + '\x1f' + f->fingerprint + '\x1f' + std::to_string(n)).substr(0, 32);
      json issue;
      issue["type"] = "issue";
      issue["check_name"] = f->rule_id.empty() ? s.name : f->rule_id;
      issue["description"] = util::truncate_utf8(desc, 1000);
      issue["categories"] = json::array({categories(f->kind)});
      issue["severity"] = cq_severity(*f);
      issue["fingerprint"] = fp;
      issue["engine_name"] = s.tool.empty() ? s.name : s.tool;
      std::string path = f->location.path.empty() ? dockerfile : f->location.path;
      int line = f->location.path.empty() || f->location.line <= 0 ? 1 : f->location.line;
      json lines{{"begin", line}};
      if (!f->location.path.empty() && f->location.end_line >= line) lines["end"] = f->location.end_line;
      issue["location"] = {{"path", path}, {"lines", std::move(lines)}};
      issues.push_back(std::move(issue));
    }
  }
  return issues.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace dg::report
