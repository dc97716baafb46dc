// GitLab Code Quality: the Code Climate issue format GitLab's MR widget reads.
#include <unordered_set>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/json_out.hpp"
#include "src/report/writers.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

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

// One issue, indented as nlohmann's dump(2) wrote the whole array (the golden file and the
// GitLab widget saw that layout): appended as text, it costs no document per finding.
void append_issue(std::string& out, std::string_view check_name, std::string_view description,
                  std::string_view category, std::string_view severity, std::string_view fingerprint,
                  std::string_view engine, std::string_view path, int begin, int end) {
  out += "  {\n    \"type\": \"issue\",\n    \"check_name\": ";
  append_json_string(out, check_name);
  out += ",\n    \"description\": ";
  append_json_string(out, description);
  out += ",\n    \"categories\": [\n      ";
  append_json_string(out, category);
  out += "\n    ],\n    \"severity\": ";
  append_json_string(out, severity);
  out += ",\n    \"fingerprint\": ";
  append_json_string(out, fingerprint);
  out += ",\n    \"engine_name\": ";
  append_json_string(out, engine);
  out += ",\n    \"location\": {\n      \"path\": ";
  append_json_string(out, path);
  out += ",\n      \"lines\": {\n        \"begin\": ";
  out += std::to_string(begin);
  if (end > 0) {
    out += ",\n        \"end\": ";
    out += std::to_string(end);
  }
  out += "\n      }\n    }\n  }";
}

}  // namespace

std::string write_codequality(const model::Run& run) {
  StringSink sink;
  write_codequality(run, sink);
  return std::move(sink.text);
}

// In pieces of about 1 MiB as the issues are made: the array is never one string.
void write_codequality(const model::Run& run, TextSink& sink) {
  std::string dockerfile = dockerfile_path(run);
  std::string out;
  bool first = true;
  std::unordered_set<std::string> seen;
  for (auto& s : run.steps) {
    for (auto* f : worst_first(s.findings)) {
      // Waived findings are accepted risk: they stay in the result JSON and SARIF, not here.
      if (f->waiver) continue;
      std::string desc;
      desc.append("[").append(s.name).append("] ").append(f->rule_id).append(": ").append(one_line(finding_text(*f)));
      if (auto fix = package_fix(*f); !fix.empty()) desc.append(" (").append(one_line(fix)) += ')';
      if (f->kind == model::Kind::Vulnerability && !f->location.target.empty())
        desc.append(" in ").append(one_line(f->location.target));
      if (auto r = risk_text(*f); !r.empty()) desc.append(", ").append(one_line(r));
      // GitLab links location.path under the commit (code_climate.rb web_url): say when it cannot be there.
      if (f->location.outside_root) desc.append(" (").append(one_line(f->location.path)).append(" is outside the repository)");
      if (!f->gating && !f->why_not.empty())
        desc.append(" — ").append(model::to_string(f->severity)).append(", not counted: ").append(f->why_not);
      // GitLab dedups by fingerprint, so it must be unique per issue: the same vulnerability
      // reported by two steps stays two issues.
      std::string fp = util::sha256_hex(s.name + '\x1f' + f->fingerprint).substr(0, 32);
      for (int n = 2; !seen.insert(fp).second; ++n)
        fp = util::sha256_hex(s.name + '\x1f' + f->fingerprint + '\x1f' + std::to_string(n)).substr(0, 32);
      const std::string& path = f->location.path.empty() ? dockerfile : f->location.path;
      int line = f->location.path.empty() || f->location.line <= 0 ? 1 : f->location.line;
      int end = !f->location.path.empty() && f->location.end_line >= line ? f->location.end_line : 0;
      out += first ? "[\n" : ",\n";
      first = false;
      append_issue(out, f->rule_id.empty() ? s.name : f->rule_id, util::truncate_utf8(desc, 1000),
                   categories(f->kind), cq_severity(*f), fp, s.tool.empty() ? s.name : s.tool, path, line, end);
      spill(out, sink);
    }
  }
  out += first ? "[]\n" : "\n]\n";
  sink.put(out);
}

}  // namespace dg::report
