// The PR/MR comment and the job summary. It must fit the platform's limit (GitHub 65,536
// characters, GitLab 1,000,000): blocks are built whole (a table, a <details>, a code fence),
// the important ones first, and a block that does not fit is left out, never cut in the middle.
// What is left out is counted and said.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/json_result.hpp"
#include "src/report/writers.hpp"
#include "src/util/plural.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

using model::Finding;
using model::StepResult;
using model::StepStatus;

constexpr std::size_t kTop = 5;             // findings per step shown before <details>
constexpr std::size_t kMaxListed = 50;      // reasons, notices, fixed: at most this many lines each
constexpr std::size_t kLogExcerpt = 3000;   // bytes of a failed smoke test's log

std::string sev_icon(model::Severity s) {
  switch (s) {
    case model::Severity::Critical: return "\xF0\x9F\x94\xB4 critical";  // 🔴
    case model::Severity::High: return "\xF0\x9F\x9F\xA0 high";          // 🟠
    case model::Severity::Medium: return "\xF0\x9F\x9F\xA1 medium";      // 🟡
    case model::Severity::Low: return "\xF0\x9F\x94\xB5 low";            // 🔵
    case model::Severity::Info: return "\xE2\x9A\xAA info";              // ⚪
    case model::Severity::Unknown: break;
  }
  return "\xE2\x9D\x94 unknown";  // ❔
}

std::string status_mark(StepStatus s) {
  switch (s) {
    case StepStatus::Passed: return "\xE2\x9C\x85 passed";                // ✅
    case StepStatus::Failed: return "\xE2\x9D\x8C failed";                // ❌
    case StepStatus::Skipped: return "\xE2\x8F\xAD\xEF\xB8\x8F skipped";  // ⏭️
    case StepStatus::Error: break;
  }
  return "\xE2\x9A\xA0\xEF\xB8\x8F error";  // ⚠️
}

std::string link(std::string_view text, const std::string& url) {
  if (!safe_url(url)) return md_text(text);
  return "[" + md_text(text) + "](" + url + ")";
}

// Only characters that cannot end the HTML comment or smuggle markup.
std::string marker_key(std::string_view key) {
  std::string out;
  for (char c : key) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
    char put = ok ? c : '-';
    if (put == '-' && !out.empty() && out.back() == '-') continue;
    out += put;
  }
  if (out.empty()) out = "default";
  return out;
}

constexpr std::string_view kFindingHeader =
    "| Severity | Rule | Location | Package \xE2\x86\x92 fix | Finding |\n|---|---|---|---|---|\n";

std::string finding_row(const Finding& f) {
  std::string sev = sev_icon(f.severity);
  if (f.baseline == model::BaselineState::New) sev += " \xF0\x9F\x86\x95";  // 🆕
  // Known exploitation and its likelihood next to the severity, where the order comes from.
  if (f.risk.kev) sev += " **KEV**";
  if (auto e = epss_text(f.risk); !e.empty()) sev += " " + md_text(e, 40);
  // A finding the policy does not count says so where it is listed (fixed ones are gone anyway).
  if (!f.gating && !f.waiver && !f.why_not.empty() && f.why_not != "fixed") sev += " (not counted: " + f.why_not + ")";
  std::string loc = f.location.path.empty() ? f.location.target : where(f);
  return "| " + sev + " | " + link(f.rule_id, f.help_uri) + " | " + md_text(loc, 120) + " | " +
         md_text(package_fix(f), 120) + " | " + md_text(f.title, 160) + " |\n";
}

std::string waived_row(const Finding& f) {
  const auto& w = *f.waiver;
  return "| " + md_text(f.rule_id) + " | " + md_text(where(f), 120) + " | " + md_text(w.reason, 200) + " | " +
         md_text(w.owner, 60) + " | " + md_text(w.expires.empty() ? "never" : w.expires, 20) + " |\n";
}

std::string percent(double now, double before) {
  if (before <= 0) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", (now - before) * 100.0 / before);
  return buf;
}


struct StepBlocks {
  const StepResult* step;
  std::vector<const Finding*> unwaived, waived;
  std::string head;              // heading + top table
  std::size_t top_shown = 0;
  std::string details;           // <details> with as many of the rest as fit
  std::size_t details_shown = 0;
};

}  // namespace

std::string write_markdown(const model::Run& run, const MarkdownOptions& opt) {
  const auto& ctx = run.context;
  Totals totals = count(run);

  // ---- fixed-size blocks, most important first ----
  std::string head;
  if (opt.with_marker) head += "<!-- dockgate:" + marker_key(opt.marker_key) + " -->\n";
  switch (run.verdict) {
    case model::Verdict::Pass: head += "### \xE2\x9C\x85 dockgate: pass \xE2\x80\x94 the image is fit to ship\n\n"; break;
    case model::Verdict::Fail: head += "### \xE2\x9D\x8C dockgate: fail \xE2\x80\x94 the image is not fit to ship\n\n"; break;
    case model::Verdict::Error:
      head += "### \xE2\x9A\xA0\xEF\xB8\x8F dockgate: error \xE2\x80\x94 a step could not run, the result is incomplete\n\n";
      break;
  }
  {
    std::vector<std::string> bits;
    if (!ctx.commit.empty()) bits.push_back("commit `" + md_text(ctx.commit.substr(0, 12)) + "`");
    if (!ctx.branch.empty()) bits.push_back("branch " + md_text(ctx.branch, 100));
    if (!ctx.job_url.empty()) bits.push_back(link(ctx.job_name.empty() ? "job" : "job " + ctx.job_name, ctx.job_url));
    bits.push_back(util::count_of(static_cast<std::int64_t>(totals.total - totals.waived), "finding", "findings") + " (" +
                   std::to_string(totals.gating) +
                   " counted by the policy), " + std::to_string(totals.waived) + " waived");
    if (run.merged_duplicates > 0)
      bits.push_back(util::count_of(static_cast<std::int64_t>(run.merged_duplicates), "duplicate", "duplicates") +
                     " merged across scanners");
    std::string line;
    for (auto& b : bits) line += (line.empty() ? "" : " \xC2\xB7 ") + b;
    head += line + "\n\n";
  }
  if (!run.reasons.empty() && run.verdict != model::Verdict::Pass) {
    std::size_t n = 0;
    for (auto& r : run.reasons) {
      if (n++ == kMaxListed) {
        head += "- and " + std::to_string(run.reasons.size() - kMaxListed) + " more reasons\n";
        break;
      }
      head += "- " + md_text(r, 300) + "\n";
    }
    head += "\n";
  }

  std::string table =
      "| Step | Status | Critical | High | Medium | Low | Info | Unknown | Waived | New |\n"
      "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n";
  std::size_t new_total = 0, unchanged_total = 0;
  for (auto& s : run.steps) {
    auto c = step_counts(s);
    new_total += c.new_;
    unchanged_total += c.unchanged;
    std::string step = md_text(s.name, 60);
    if (!s.tool.empty() && s.tool != s.name) step += " (" + md_text(s.tool, 40) + ")";
    table += "| " + step + " | " + status_mark(s.status);
    for (int i = 5; i >= 0; --i) table += " | " + std::to_string(c.by[i]);
    table += " | " + std::to_string(c.waived) + " | " + std::to_string(c.new_) + " |\n";
  }
  table += "\n";

  std::string baseline;
  if (new_total + unchanged_total > 0 || !run.fixed.empty() || !run.baseline_incomplete.empty()) {
    baseline = "**Compared with the baseline:** " + std::to_string(new_total) + " new \xC2\xB7 " +
               std::to_string(unchanged_total) + " unchanged \xC2\xB7 " + std::to_string(run.fixed.size()) + " fixed";
    if (!run.baseline_incomplete.empty()) {
      // A step that errored or did not run cannot say what it no longer finds.
      std::string steps;
      for (auto& n : run.baseline_incomplete) steps += (steps.empty() ? "" : ", ") + md_text(n, 60);
      baseline += " \xC2\xB7 " + std::to_string(run.baseline_unknown) +
                  " unknown\n\n\xE2\x9A\xA0\xEF\xB8\x8F The comparison is incomplete for " + steps +
                  ": it errored or did not run, so its baseline findings are neither fixed nor still there.";
    }
    baseline += "\n\n";
  }

  std::string steps_extra;  // smoke test and image size: short, and the first thing people ask
  for (auto& s : run.steps) {
    if (s.name == model::step::kSmoke) {
      steps_extra += "#### Smoke test: " + status_mark(s.status) + " (" + duration_text(s.duration_ms) + ")\n\n";
      for (auto& f : s.findings)
        steps_extra += "- " + sev_icon(f.severity) + ": " + md_text(f.title, 300) +
                       (f.message.empty() ? "" : " \xE2\x80\x94 " + md_text(f.message, 300)) + "\n";
      for (auto& e : s.errors) steps_extra += "- " + md_text(e, 300) + "\n";
      if (!s.findings.empty() || !s.errors.empty()) steps_extra += "\n";
      if (s.status != StepStatus::Passed && !s.log_excerpt.empty())
        steps_extra += "<details><summary>Log excerpt</summary>\n\n" + md_code_block(log_tail(s.log_excerpt, kLogExcerpt)) +
                       "\n</details>\n\n";
    } else if (s.status == StepStatus::Error && (s.errors.size() > 1 || !s.log_excerpt.empty())) {
      // A scanner that could not run: the reasons list its first error; here is the rest and what
      // it printed last, so nobody has to open the job log to see why.
      steps_extra += "#### " + md_text(s.name, 60) + ": " + status_mark(s.status) + "\n\n";
      for (auto& e : s.errors) steps_extra += "- " + md_text(e, 300) + "\n";
      steps_extra += "\n";
      if (!s.log_excerpt.empty())
        steps_extra += "<details><summary>The last lines of its output</summary>\n\n" +
                       md_code_block(log_tail(s.log_excerpt, kLogExcerpt)) + "\n</details>\n\n";
    } else if (s.name == model::step::kSize) {
      auto sz = size_facts(s);
      steps_extra += "#### Image size: " + status_mark(s.status) + "\n\n";
      if (auto line = size_line(s); !line.empty()) steps_extra += "**" + md_text(line, 200) + "**\n\n";
      if (auto layers = largest_layers(s, 3); !layers.empty()) {
        steps_extra += "Largest layers:\n";
        for (auto& l : layers) steps_extra += "- " + md_text(l, 160) + "\n";
        steps_extra += "\n";
      }
      if (sz.bytes) {
        steps_extra += "| | Size | Change |\n|---|--:|--:|\n";
        steps_extra += "| Image | " + human_bytes(*sz.bytes) + " | |\n";
        if (sz.budget)
          steps_extra += "| Budget | " + human_bytes(*sz.budget) + " | " +
                         (*sz.bytes > *sz.budget ? "over by " + human_bytes(*sz.bytes - *sz.budget) : "within") + " |\n";
        if (sz.baseline)
          steps_extra += "| Baseline | " + human_bytes(*sz.baseline) + " | " + percent(*sz.bytes, *sz.baseline) + " |\n";
        if (auto c = s.metrics.find("compressed_bytes"); c != s.metrics.end() && c->second > 0)
          steps_extra += "| Compressed (pulled) | " + human_bytes(static_cast<std::uint64_t>(c->second)) + " | |\n";
        steps_extra += "\n";
      }
      // The step's excerpt is its layer breakdown (largest layers and files first, the waste):
      // what a reviewer needs to see why the image grew.
      if (!s.log_excerpt.empty())
        steps_extra += "<details><summary>Layers, largest first</summary>\n\n" +
                       md_code_block(log_tail(s.log_excerpt, kLogExcerpt)) + "\n</details>\n\n";
      for (auto& f : s.findings) {
        if (f.waiver) continue;
        steps_extra += "- " + sev_icon(f.severity) + " " + md_text(f.rule_id) + ": " + md_text(finding_text(f), 300) + "\n";
      }
      for (auto& e : s.errors) steps_extra += "- " + md_text(e, 300) + "\n";
      steps_extra += "\n";
    }
  }

  std::string waivers;
  if (!run.waiver_notices.empty()) {
    waivers += "#### Waivers that need attention\n\n";
    std::size_t n = 0;
    for (auto& w : run.waiver_notices) {
      if (n++ == kMaxListed) {
        waivers += "- and " + std::to_string(run.waiver_notices.size() - kMaxListed) + " more\n";
        break;
      }
      bool expired = w.state == "expired";
      // A VEX statement (policy::is_vex) that matches nothing here may be about another image: it is
      // not the user's to remove.
      bool vex = w.reason.starts_with("VEX ");
      waivers += std::string("- ") + (expired ? "\xE2\x8F\xB0 **expired**" : "\xF0\x9F\xA7\xB9 **stale**") + " " +
                 md_text(w.id, 120) + (expired && !w.expires.empty() ? " (expired " + md_text(w.expires, 20) + ")" : "") +
                 (expired ? ": it no longer applies"
                  : vex   ? ": it matches no finding in this run"
                          : ": it matches no finding, remove it") +
                 (w.reason.empty() ? "" : " \xE2\x80\x94 " + md_text(w.reason, 200)) + "\n";
    }
    waivers += "\n";
  }

  // Findings per step: the heading and the worst few always, the rest as budget allows.
  std::vector<StepBlocks> blocks;
  for (auto& s : run.steps) {
    // Smoke-test and image-size findings are listed in their own sections above.
    if (s.findings.empty() || s.name == model::step::kSmoke || s.name == model::step::kSize) continue;
    StepBlocks b{&s, {}, {}, {}, 0, {}, 0};
    for (auto* f : worst_first(s.findings)) (f->waiver ? b.waived : b.unwaived).push_back(f);
    if (b.unwaived.empty()) continue;
    auto c = step_counts(s);
    std::string summary;
    for (int i = 5; i >= 0; --i)
      if (c.by[i]) summary += (summary.empty() ? "" : " \xC2\xB7 ") + std::to_string(c.by[i]) + " " +
                              std::string(model::to_string(static_cast<model::Severity>(i)));
    b.head = "#### " + md_text(s.name, 60) + ": " + summary + (c.new_ ? " (" + std::to_string(c.new_) + " new)" : "") +
             "\n\n" + std::string(kFindingHeader);
    for (; b.top_shown < std::min(kTop, b.unwaived.size()); ++b.top_shown) b.head += finding_row(*b.unwaived[b.top_shown]);
    b.head += "\n";
    blocks.push_back(std::move(b));
  }

  std::string fixed;
  if (!run.fixed.empty()) {
    fixed += "<details><summary>\xF0\x9F\x8E\x89 " + std::to_string(run.fixed.size()) +
             (run.fixed.size() == 1 ? " finding" : " findings") + " fixed since the baseline</summary>\n\n" + std::string(kFindingHeader);
    auto list = worst_first(run.fixed);
    std::size_t n = std::min(list.size(), kMaxListed);
    for (std::size_t i = 0; i < n; ++i) fixed += finding_row(*list[i]);
    if (list.size() > n) fixed += "\nand " + std::to_string(list.size() - n) + " more.\n";
    fixed += "\n</details>\n\n";
  }

  // ---- the budget ----
  std::string version_line = "<sub>dockgate " + md_text(run.dockgate_version.empty() ? "dev" : run.dockgate_version, 40) +
                             " \xC2\xB7 full details in the SARIF, JUnit and JSON artifacts</sub>\n";
  constexpr std::size_t kNoteRoom = 400;  // the "N more findings" line, whatever N is
  std::size_t limit = opt.max_chars > version_line.size() + kNoteRoom ? opt.max_chars - version_line.size() - kNoteRoom : 0;
  std::size_t used = 0;
  auto take = [&](std::string& block) {
    if (used + block.size() <= limit) used += block.size();
    else block.clear();
  };
  take(head);
  if (head.empty()) limit = 0;  // below even the header: only the one-line fallback below
  take(table);
  take(baseline);
  take(steps_extra);
  take(waivers);
  for (auto& b : blocks) {
    if (used + b.head.size() <= limit) used += b.head.size();
    else {
      b.head.clear();
      b.top_shown = 0;
    }
  }
  take(fixed);

  std::size_t listed = 0, total = 0;
  std::string waived_block;
  std::size_t waived_shown = 0;
  for (auto& b : blocks) {
    total += b.unwaived.size();
    listed += b.top_shown;
    if (b.head.empty() || b.unwaived.size() <= b.top_shown) continue;
    std::size_t rest = b.unwaived.size() - b.top_shown;
    // The summary must state how many rows it really holds, so rows are sized first.
    std::string open_fmt = "<details><summary>" + std::to_string(rest) + " more " + md_text(b.step->name, 60) +
                           " findings (XXXXXXXXXX shown)</summary>\n\n" + std::string(kFindingHeader);
    std::string close = "\n</details>\n\n";
    if (used + open_fmt.size() + close.size() >= limit) continue;
    std::size_t room = limit - used - open_fmt.size() - close.size();
    std::string rows;
    std::size_t n = 0;
    for (std::size_t i = b.top_shown; i < b.unwaived.size(); ++i) {
      std::string row = finding_row(*b.unwaived[i]);
      if (rows.size() + row.size() > room) break;
      rows += row;
      ++n;
    }
    if (n == 0) continue;
    std::string open = "<details><summary>" + std::to_string(rest) + " more " + md_text(b.step->name, 60) +
                       (rest == 1 ? " finding" : " findings") + (n < rest ? " (" + std::to_string(n) + " shown)" : "") + "</summary>\n\n" +
                       std::string(kFindingHeader);
    b.details = open + rows + close;
    b.details_shown = n;
    used += b.details.size();
    listed += n;
  }
  // Waived findings: for the reviewer who wants to see what was accepted, space permitting.
  // Blocks without unwaived findings were not kept above; collect their waivers too.
  std::vector<const Finding*> waived_list;
  for (auto& s : run.steps)
    for (auto& f : s.findings)
      if (f.waiver) waived_list.push_back(&f);
  std::size_t waived_total = waived_list.size();
  if (!waived_list.empty()) {
    std::stable_sort(waived_list.begin(), waived_list.end(), [](auto* a, auto* b) { return worse(*a, *b); });
    std::string header = "| Rule | Location | Reason | Owner | Expires |\n|---|---|---|---|---|\n";
    std::string open_fmt = "<details><summary>" + std::to_string(waived_total) +
                           " waived findings (XXXXXXXXXX shown)</summary>\n\n" + header;
    std::string close = "\n</details>\n\n";
    if (used + open_fmt.size() + close.size() < limit) {
      std::size_t room = limit - used - open_fmt.size() - close.size();
      std::string rows;
      for (auto* f : waived_list) {
        std::string row = waived_row(*f);
        if (rows.size() + row.size() > room) break;
        rows += row;
        ++waived_shown;
      }
      if (waived_shown > 0) {
        waived_block = "<details><summary>" + std::to_string(waived_total) + (waived_total == 1 ? " waived finding" : " waived findings") +
                       (waived_shown < waived_total ? " (" + std::to_string(waived_shown) + " shown)" : "") +
                       "</summary>\n\n" + header + rows + close;
        used += waived_block.size();
      }
    }
  }

  // ---- assemble in reading order ----
  std::string out;
  out.reserve(used + version_line.size() + kNoteRoom);
  out += head;
  out += table;
  out += baseline;
  out += steps_extra;
  out += waivers;
  for (auto& b : blocks) {
    out += b.head;
    out += b.details;
  }
  out += fixed;
  out += waived_block;
  std::size_t missing = (total - listed) + (waived_total - waived_shown);
  std::string note;
  if (missing > 0) {
    note = "> [!NOTE]\n> " + std::to_string(missing) + (missing == 1 ? " more finding is" : " more findings are") +
           " not listed here (comment size limit): see the result artifact";
    if (safe_url(ctx.job_url)) note += " of [the job](" + ctx.job_url + ")";
    note += ".\n\n";
  }
  if (head.empty()) {  // the limit is below the header: still say honestly what this is
    note = (opt.with_marker ? "<!-- dockgate:" + marker_key(opt.marker_key) + " -->\n" : std::string()) +
           "dockgate: " + std::string(model::to_string(run.verdict)) + " (" + std::to_string(missing) +
           " findings not listed: see the artifact)\n";
  }
  out += note;
  out += version_line;
  if (out.size() > opt.max_chars) out = util::truncate_utf8(note, opt.max_chars);
  return out;
}

}  // namespace dg::report
