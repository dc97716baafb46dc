// GitHub workflow commands. GitHub shows at most 10 errors, 10 warnings and 10 notices per step,
// so the findings that gate go first, then the worst, and one notice says how many were left
// out. Only a finding that counts against the verdict is an error: one the policy does not count
// (unfixed under ignore-unfixed, below fail-on, not new) is a warning when high or worse and a
// notice when medium, so the annotations never look like failures the verdict does not have.
#include <algorithm>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/writers.hpp"
#include "src/util/text.hpp"

namespace dg::report {

namespace {
constexpr std::size_t kMaxPerLevel = 10;

const char* command_for(const model::Finding& f) {
  if (f.gating) return "error";
  switch (f.severity) {
    case model::Severity::Critical:
    case model::Severity::High:
    case model::Severity::Unknown: return "warning";
    case model::Severity::Medium: return "notice";
    default: break;
  }
  return nullptr;  // low and info are not annotated one by one: they would crowd out the rest
}
}  // namespace

std::string write_annotations(const model::Run& run) {
  std::vector<std::pair<const model::StepResult*, const model::Finding*>> all;
  for (auto& s : run.steps)
    for (auto& f : s.findings)
      if (!f.waiver) all.emplace_back(&s, &f);
  std::stable_sort(all.begin(), all.end(), [](auto& a, auto& b) {
    if (a.second->gating != b.second->gating) return a.second->gating;
    return worse(*a.second, *b.second);
  });

  std::string out;
  std::size_t errors = 0, warnings = 0, notices = 0, left_out = 0;
  for (auto& [s, f] : all) {
    const char* cmd = command_for(*f);
    std::size_t& n = !cmd ? left_out : cmd[0] == 'e' ? errors : cmd[0] == 'w' ? warnings : notices;
    // The closing notice about what was left out takes one of the ten notices.
    if (!cmd || n >= (cmd[0] == 'n' ? kMaxPerLevel - 1 : kMaxPerLevel)) {
      ++left_out;
      continue;
    }
    ++n;
    std::string props;
    // GitHub places an annotation only on a repository file: one outside it names it in the text.
    if (!f->location.path.empty() && !f->location.outside_root) {
      props += "file=" + gh_property(f->location.path);
      if (f->location.line > 0) props += ",line=" + std::to_string(f->location.line);
      if (f->location.end_line > f->location.line) props += ",endLine=" + std::to_string(f->location.end_line);
      if (f->location.column > 0) props += ",col=" + std::to_string(f->location.column);
      props += ",";
    }
    std::string title = s->name + " " + std::string(model::to_string(f->severity)) + " " + f->rule_id;
    props += "title=" + gh_property(util::truncate_utf8(title, 200));
    std::string msg = one_line(finding_text(*f));  // smoke and size findings: the message has the numbers
    if (auto fix = package_fix(*f); !fix.empty()) msg += "\n" + one_line(fix);
    if (!f->location.target.empty()) msg += "\nin " + one_line(f->location.target);
    if (f->location.outside_root) msg += "\nat " + one_line(where(*f));
    if (auto r = risk_text(*f); !r.empty()) msg += "\n" + one_line(r);
    if (f->baseline == model::BaselineState::New) msg += "\nnew since the baseline";
    if (!f->gating && !f->why_not.empty()) msg += "\nnot counted by the policy: " + f->why_not;
    if (!f->help_uri.empty()) msg += "\n" + one_line(f->help_uri);
    out += "::" + std::string(cmd) + " " + props + "::" + gh_data(util::truncate_utf8(msg, 4000)) + "\n";
  }
  if (left_out > 0) {
    std::string msg = std::to_string(left_out) + (left_out == 1 ? " more finding is" : " more findings are") +
                      " not annotated (GitHub shows at most 10 errors, 10 warnings and 10 notices per step; low and info "
                      "findings are not annotated): see the job summary or the result artifact";
    if (!run.context.job_url.empty()) msg += " " + run.context.job_url;
    out += "::notice title=" + gh_property("dockgate") + "::" + gh_data(msg) + "\n";
  }
  return out;
}

}  // namespace dg::report
