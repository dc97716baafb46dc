// The human summary on stderr: an aligned step table, the worst findings per step, the verdict.
#include <algorithm>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/writers.hpp"
#include "src/util/plural.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

struct Paint {
  bool on;
  std::string operator()(std::string_view code, std::string_view s) const {
    if (!on) return std::string(s);
    return "\x1b[" + std::string(code) + "m" + std::string(s) + "\x1b[0m";
  }
};

std::string_view sev_color(model::Severity s) {
  switch (s) {
    case model::Severity::Critical: return "1;31";
    case model::Severity::High: return "31";
    case model::Severity::Medium: return "33";
    case model::Severity::Low: return "36";
    default: break;
  }
  return "2";
}

std::string_view status_color(model::StepStatus s) {
  switch (s) {
    case model::StepStatus::Passed: return "32";
    case model::StepStatus::Failed: return "1;31";
    case model::StepStatus::Error: return "1;35";
    case model::StepStatus::Skipped: break;
  }
  return "2";
}

std::string pad(std::string s, std::size_t w, bool right = false) {
  if (s.size() >= w) return s;
  std::string sp(w - s.size(), ' ');
  return right ? sp + s : s + sp;
}

}  // namespace

std::string write_console(const model::Run& run, const ConsoleOptions& opt) {
  Paint paint{opt.color};
  std::size_t wname = 4, wtool = 4;
  for (auto& s : run.steps) {
    wname = std::max(wname, one_line(s.name).size());
    wtool = std::max(wtool, one_line(s.tool).size());
  }
  std::string out;
  out += pad("STEP", wname) + "  " + pad("TOOL", wtool) + "  " + pad("STATUS", 8) +
         "  CRIT  HIGH   MED   LOW  INFO   UNK  WAIVED   NEW\n";
  for (auto& s : run.steps) {
    auto c = step_counts(s);
    out += pad(one_line(s.name), wname) + "  " + pad(one_line(s.tool), wtool) + "  " +
           paint(status_color(s.status), pad(std::string(model::to_string(s.status)), 8));
    for (int i = 5; i >= 0; --i) {
      std::string n = pad(std::to_string(c.by[i]), 6, true);
      out += c.by[i] && i >= 3 ? paint(sev_color(static_cast<model::Severity>(i)), n) : n;
    }
    out += pad(std::to_string(c.waived), 8, true) + pad(std::to_string(c.new_), 6, true) + "\n";
  }
  for (auto& s : run.steps) {
    // The verdict's reasons repeat an errored step's first error; print only the rest here.
    for (std::size_t i = s.status == model::StepStatus::Error ? 1 : 0; i < s.errors.size(); ++i)
      out += paint("1;35", one_line(s.name) + ": error: ") + one_line(s.errors[i]) + "\n";
    if (s.name == model::step::kSize) {
      if (auto line = size_line(s); !line.empty()) out += one_line(s.name) + ": " + line + "\n";
      for (auto& l : largest_layers(s, 3)) out += "  " + util::truncate_utf8(one_line(l), 140) + "\n";
    }
    // A tool that failed, or a service that did not pass its smoke test: what it said last is
    // usually why (the exit status is in the error, the HTTP status in the finding).
    bool failed_smoke = s.name == model::step::kSmoke && s.status == model::StepStatus::Failed;
    if ((s.status == model::StepStatus::Error || failed_smoke) && !s.log_excerpt.empty()) {
      out += one_line(s.name) + ": the last lines of its output:\n";
      for (auto& l : util::split(log_text(s.log_excerpt), '\n'))  // no ANSI or control bytes
        if (!l.empty()) out += "  | " + l + "\n";
    }
    std::size_t unwaived = 0;
    for (auto& f : s.findings) unwaived += f.waiver ? 0 : 1;
    std::size_t n = std::min(opt.top, unwaived);
    if (n == 0) continue;
    auto list = worst_n(s.findings, n);  // waived ones sort last: these n are all unwaived
    out += "\n" + one_line(s.name) + ": " +
           (n == unwaived ? std::to_string(n) + (n == 1 ? " finding" : " findings")
                          : "top " + std::to_string(n) + " of " + std::to_string(unwaived)) + "\n";
    for (std::size_t i = 0; i < n; ++i) {
      auto& f = *list[i];
      std::string line = "  " + paint(sev_color(f.severity), pad(std::string(model::to_string(f.severity)), 8)) + " " +
                         one_line(f.rule_id);
      if (auto w = one_line(where(f)); !w.empty()) line += "  " + util::truncate_utf8(w, 60);
      if (!f.package.fixed_version.empty()) line += " -> " + one_line(f.package.fixed_version);
      if (f.risk.kev) line += "  " + paint("1;31", "[KEV]");
      if (auto e = epss_text(f.risk); !e.empty()) line += "  " + e;
      line += "  " + util::truncate_utf8(one_line(finding_text(f)), f.kind == model::Kind::Smoke || f.kind == model::Kind::Image ? 200 : 80);
      if (f.baseline == model::BaselineState::New) line += paint("1", " [new]");
      out += line + "\n";
    }
  }
  std::string verdict = "verdict: " + std::string(model::to_string(run.verdict));
  std::string detail;  // unpainted, so the verdict word itself is what a color or a grep finds
  std::string_view vc = run.verdict == model::Verdict::Pass ? "1;32" : run.verdict == model::Verdict::Fail ? "1;31" : "1;35";
  {
    std::size_t total = 0, gating = 0;
    for (auto& s : run.steps)
      for (auto& f : s.findings) {
        ++total;
        gating += f.gating;
      }
    if (total > 0)
      detail += " \xE2\x80\x94 " + util::thousands(static_cast<std::int64_t>(gating)) + " of " +
                util::count_of(static_cast<std::int64_t>(total), "finding", "findings") +
                (gating == 1 || total == 1 ? " counts against it" : " count against it");
  }
  if (run.merged_duplicates > 0)
    detail += " (" + util::count_of(static_cast<std::int64_t>(run.merged_duplicates), "duplicate finding", "duplicate findings") +
              " merged across scanners)";
  out += "\n" + paint(vc, verdict) + detail + "\n";
  for (auto& r : run.reasons) out += "  " + one_line(r) + "\n";
  if (!run.baseline_incomplete.empty()) {
    std::string steps;
    for (auto& n : run.baseline_incomplete) steps += (steps.empty() ? "" : ", ") + one_line(n);
    out += "  baseline: the comparison is incomplete for " + steps + " (errored or did not run): " +
           util::count_of(static_cast<std::int64_t>(run.baseline_unknown), "baseline finding", "baseline findings") +
           " unknown, not fixed\n";
  }
  for (auto& w : run.waiver_notices)
    out += "  waiver " + one_line(w.id) + ": " + one_line(w.state) + (w.expires.empty() ? "" : " (" + one_line(w.expires) + ")") + "\n";
  return out;
}

}  // namespace dg::report
