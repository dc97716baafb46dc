// The HTML report: the page skeleton and its sections, in the order a reviewer asks: the verdict
// and why, what changed against the baseline, the shards of a merge, image size, the smoke
// test, waivers, then every finding. Charts are in html_charts.cpp, the table in html_table.cpp,
// the stylesheet and script in html_assets.cpp.
#include "src/report/html.hpp"

#include <algorithm>
#include <cstdio>

#include "src/report/escape.hpp"
#include "src/util/plural.hpp"

namespace dg::report {
namespace {

using model::StepStatus;

constexpr std::size_t kMaxReasons = 200;
constexpr std::size_t kMaxFixed = 500;
constexpr std::size_t kLogBytes = 8000;
constexpr std::string_view kCsp =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

std::string status_html(StepStatus s) {
  auto w = std::string(model::to_string(s));
  return "<span class=\"st st-" + w + "\">" + w + "</span>";
}

std::string verdict_line(model::Verdict v) {
  switch (v) {
    case model::Verdict::Pass: return "\xE2\x9C\x94 pass \xE2\x80\x94 the image is fit to ship";
    case model::Verdict::Fail: return "\xE2\x9C\x98 fail \xE2\x80\x94 the image is not fit to ship";
    case model::Verdict::Error: break;
  }
  return "\xE2\x9A\xA0 error \xE2\x80\x94 a step could not run, the result is incomplete";
}

std::string link(std::string_view text, const std::string& url) {
  if (!safe_url(url)) return html_text(text);
  return "<a href=\"" + html_text(url) + "\" rel=\"noopener noreferrer\" target=\"_blank\">" + html_text(text) + "</a>";
}

std::string pre_log(std::string_view log) { return "<pre>" + html_block(log_tail(log, kLogBytes)) + "</pre>"; }

std::string count_cells(const StepCounts& c) {
  std::string out;
  for (int i = 5; i >= 0; --i) out += "<td class=\"num\">" + (c.by[i] ? std::to_string(c.by[i]) : std::string("\xC2\xB7")) + "</td>";
  return out;
}

constexpr std::string_view kCountHeads =
    "<th class=\"num\">Critical</th><th class=\"num\">High</th><th class=\"num\">Medium</th><th class=\"num\">Low</th>"
    "<th class=\"num\">Info</th><th class=\"num\">Unknown</th>";

std::string header(const model::Run& run) {
  const auto& c = run.context;
  std::vector<std::string> bits;
  if (!c.repository.empty()) bits.push_back(link(c.repository, c.server_url.empty() ? "" : c.server_url + "/" + c.repository));
  if (!c.branch.empty()) bits.push_back("branch " + html_text(c.branch, 100));
  if (!c.commit.empty()) bits.push_back("commit <code>" + html_text(c.commit.substr(0, 12)) + "</code>");
  if (!c.pull_request.empty()) bits.push_back("PR/MR " + html_text(c.pull_request, 20));
  if (!c.job_url.empty() || !c.job_name.empty())
    bits.push_back(link(c.job_name.empty() ? "job" : "job " + c.job_name, c.job_url));
  if (!run.started_at.empty()) bits.push_back(html_text(run.started_at, 40));
  std::string meta;
  for (auto& b : bits) meta += (meta.empty() ? "" : " \xC2\xB7 ") + b;
  std::string cls = "v-" + std::string(model::to_string(run.verdict));
  return "<header class=\"verdict " + cls + "\"><div><h1>dockgate: " + verdict_line(run.verdict) + "</h1><div class=\"meta\">" +
         meta + "</div></div></header>\n";
}

std::string summary(const model::Run& run) {
  std::string out = "<section id=\"summary\"><h2>Verdict and why</h2>\n";
  if (!run.reasons.empty()) {
    out += "<ul class=\"reasons\">";
    for (std::size_t i = 0; i < run.reasons.size() && i < kMaxReasons; ++i) out += "<li>" + html_text(run.reasons[i], 400) + "</li>";
    if (run.reasons.size() > kMaxReasons) out += "<li>and " + std::to_string(run.reasons.size() - kMaxReasons) + " more</li>";
    out += "</ul>\n";
  }
  out += "<div class=\"table-wrap\"><table class=\"steps\"><thead><tr><th>Step</th><th>Status</th><th>Why</th>" +
         std::string(kCountHeads) +
         "<th class=\"num\">Waived</th><th class=\"num\">New</th><th class=\"num\">Time</th></tr></thead><tbody>\n";
  for (auto& s : run.steps) {
    auto c = step_counts(s);
    std::string step = html_text(s.name, 60);
    if (!s.tool.empty() && s.tool != s.name) step += " <span class=\"muted small\">" + html_text(s.tool, 40);
    else if (!s.tool_version.empty()) step += " <span class=\"muted small\">";
    if (!s.tool_version.empty()) step += " " + html_text(s.tool_version, 30);
    if (!s.tool_version.empty() || (!s.tool.empty() && s.tool != s.name)) step += "</span>";
    // The run's reasons are "step: why" lines; each step shows its own, and its errors.
    std::string why;
    std::string prefix = s.name + ": ";
    for (auto& r : run.reasons)
      if (r.starts_with(prefix)) why += "<div>" + html_text(r.substr(prefix.size()), 300) + "</div>";
    for (auto& e : s.errors)
      if (why.find(html_text(e, 300)) == std::string::npos) why += "<div>" + html_text(e, 300) + "</div>";
    if (why.empty()) why = s.status == StepStatus::Passed ? "<span class=\"muted\">within the policy</span>" : "";
    out += "<tr><td>" + step + "</td><td>" + status_html(s.status) + "</td><td>" + why + "</td>" + count_cells(c) +
           "<td class=\"num\">" + std::to_string(c.waived) + "</td><td class=\"num\">" + std::to_string(c.new_) +
           "</td><td class=\"num\">" + (s.duration_ms > 0 ? duration_text(s.duration_ms) : std::string("\xE2\x80\x94")) +
           "</td></tr>\n";  // a report read back has no time of its own
  }
  out += "</tbody></table></div>\n<h3>Unwaived findings by severity and step</h3>\n" + svg_severity_by_step(run) + "\n";
  for (auto& s : run.steps) {
    if (s.status != StepStatus::Error || s.log_excerpt.empty() || s.name == model::step::kSmoke) continue;
    out += "<details><summary>" + html_text(s.name, 60) + ": log excerpt</summary>" + pre_log(s.log_excerpt) + "</details>\n";
  }
  return out + "</section>\n";
}

std::string baseline(const model::Run& run, const std::vector<TrendPoint>& trend) {
  std::size_t new_ = 0, unchanged = 0, waived = 0;
  for (auto& s : run.steps) {
    auto c = step_counts(s);
    new_ += c.new_;
    unchanged += c.unchanged;
    waived += c.waived;
  }
  bool compared = new_ + unchanged > 0 || !run.fixed.empty() || !run.baseline_incomplete.empty();
  if (!compared && trend.size() < 2) return {};
  std::string out = "<section id=\"baseline\"><h2>Against the baseline</h2>\n";
  if (compared) {
    auto tile = [](std::string_view cls, std::size_t n, std::string_view what) {
      return "<div class=\"tile " + std::string(cls) + "\"><b>" + std::to_string(n) + "</b>" + std::string(what) + "</div>";
    };
    out += "<div class=\"tiles\">" + tile("t-new", new_, "new") + tile("t-unchanged", unchanged, "unchanged") +
           tile("t-fixed", run.fixed.size(), "fixed") + tile("t-waived", waived, "waived") + "</div>\n";
  } else {
    out += "<p class=\"muted\">No baseline was given for this run.</p>\n";
  }
  if (!run.baseline_incomplete.empty()) {
    std::string steps;
    for (auto& st : run.baseline_incomplete) steps += (steps.empty() ? "" : ", ") + html_text(st, 60);
    out += "<p class=\"muted\">Not compared: " +
           util::count_of(static_cast<std::int64_t>(run.baseline_unknown), "baseline finding", "baseline findings") + " of " + steps +
           " (the step did not run or failed to run here), so they are neither fixed nor new.</p>\n";
  }
  if (!run.fixed.empty()) {
    out += "<details><summary>" + std::to_string(run.fixed.size()) + (run.fixed.size() == 1 ? " finding" : " findings") +
           " fixed since the baseline</summary><div class=\"table-wrap\"><table><thead><tr><th>Severity</th><th>ID</th>"
           "<th>Where</th><th>Package</th><th>Title</th></tr></thead><tbody>\n";
    auto list = worst_first(run.fixed);
    for (std::size_t i = 0; i < list.size() && i < kMaxFixed; ++i) {
      auto& f = *list[i];
      auto sev = std::string(model::to_string(f.severity));
      out += "<tr><td><span class=\"sev sev-" + sev + "\">" + sev + "</span></td><td>" + link(f.rule_id, f.help_uri) +
             "</td><td>" + html_text(f.location.path.empty() ? f.location.target : where(f), 200) + "</td><td>" +
             html_text(package_fix(f), 200) + "</td><td>" + html_text(f.title, 300) + "</td></tr>\n";
    }
    out += "</tbody></table></div>";
    if (list.size() > kMaxFixed) out += "<p class=\"muted\">and " + std::to_string(list.size() - kMaxFixed) + " more.</p>";
    out += "</details>\n";
  }
  if (trend.size() >= 2)
    out += "<h3 id=\"trend\">Trend over " + std::to_string(trend.size()) + " results</h3>\n" + svg_trend(trend) + "\n";
  return out + "</section>\n";
}

std::string shards(const std::vector<HtmlShard>& list) {
  if (list.empty()) return {};
  std::string out = "<section id=\"shards\"><h2>Shards (" + std::to_string(list.size()) + ")</h2>\n"
                    "<p class=\"muted\">Each shard as its own job gated it; the verdict above is the merged result, gated once.</p>\n";
  for (auto& sh : list) {
    out += "<div class=\"shard\"><h3>" + html_text(sh.name, 200) + ": <span class=\"st st-" +
           std::string(model::to_string(sh.verdict)) + "\">" + std::string(model::to_string(sh.verdict)) + "</span></h3>";
    if (sh.verdict != model::Verdict::Pass && !sh.reasons.empty()) {
      out += "<ul class=\"reasons\">";
      for (std::size_t i = 0; i < sh.reasons.size() && i < 20; ++i) out += "<li>" + html_text(sh.reasons[i], 300) + "</li>";
      out += "</ul>";
    }
    out += "<div class=\"table-wrap\"><table><thead><tr><th>Step</th><th>Status</th>" + std::string(kCountHeads) +
           "<th class=\"num\">Waived</th><th class=\"num\">New</th></tr></thead><tbody>";
    for (auto& s : sh.steps)
      out += "<tr><td>" + html_text(s.name, 60) + "</td><td>" + status_html(s.status) + "</td>" + count_cells(s.counts) +
             "<td class=\"num\">" + std::to_string(s.counts.waived) + "</td><td class=\"num\">" +
             std::to_string(s.counts.new_) + "</td></tr>";
    out += "</tbody></table></div></div>\n";
  }
  return out + "</section>\n";
}

std::string step_findings_list(const model::StepResult& s) {
  std::string out;
  for (auto* f : worst_first(s.findings)) {
    auto sev = std::string(model::to_string(f->severity));
    out += "<li><span class=\"sev sev-" + sev + "\">" + sev + "</span> <b>" + html_text(f->title, 300) + "</b>";
    if (!f->message.empty() && f->message != f->title) out += "<div class=\"muted\">" + html_text(f->message, 600) + "</div>";
    if (f->waiver) out += " <span class=\"tag tag-waived\">waived</span>";
    out += "</li>";
  }
  for (auto& e : s.errors) out += "<li>" + html_text(e, 400) + "</li>";
  return out.empty() ? out : "<ul class=\"reasons\">" + out + "</ul>\n";
}

std::string size_section(const model::StepResult& s) {
  std::string out = "<section id=\"size\"><h2>Image size: " + status_html(s.status) + "</h2>\n";
  auto sz = size_facts(s);
  if (sz.bytes) {
    out += "<div class=\"tiles\"><div class=\"tile\"><b>" + human_bytes(*sz.bytes) + "</b>image</div>";
    if (sz.budget)
      out += "<div class=\"tile\"><b>" + human_bytes(*sz.budget) + "</b>budget: " +
             (*sz.bytes > *sz.budget ? "over by " + human_bytes(*sz.bytes - *sz.budget) : std::string("within")) + "</div>";
    if (sz.baseline) {
      char pct[32];
      std::snprintf(pct, sizeof pct, "%+.1f%%", *sz.baseline > 0 ? (*sz.bytes - *sz.baseline) * 100.0 / *sz.baseline : 0.0);
      out += "<div class=\"tile\"><b>" + human_bytes(*sz.baseline) + "</b>baseline: " + pct + "</div>";
    }
    if (auto c = s.metrics.find("compressed_bytes"); c != s.metrics.end() && c->second > 0)
      out += "<div class=\"tile\"><b>" + human_bytes(c->second) + "</b>compressed (pulled)</div>";
    if (auto l = s.metrics.find("layers"); l != s.metrics.end())
      out += "<div class=\"tile\"><b>" + std::to_string(static_cast<long long>(l->second)) + "</b>layers</div>";
    out += "</div>\n" + svg_size(sz) + "\n";
  } else {
    out += "<p class=\"muted\">The input did not give the image size.</p>\n";
  }
  auto layers = parse_layers(s.log_excerpt);
  if (!layers.empty()) out += "<h3>Largest layers</h3>\n" + svg_layers(layers) + "\n";
  out += step_findings_list(s);
  if (!s.log_excerpt.empty()) out += "<details><summary>Layer breakdown</summary>" + pre_log(s.log_excerpt) + "</details>\n";
  return out + "</section>\n";
}

std::string smoke_section(const model::StepResult& s) {
  std::string out = "<section id=\"smoke\"><h2>Smoke test: " + status_html(s.status) + "</h2>\n";
  if (s.status != StepStatus::Skipped) out += svg_smoke_timeline(s) + "\n";
  out += step_findings_list(s);
  if (s.status != StepStatus::Passed && !s.log_excerpt.empty()) out += "<h3>Log excerpt</h3>" + pre_log(s.log_excerpt) + "\n";
  return out + "</section>\n";
}

std::string waivers(const model::Run& run) {
  std::vector<const model::Finding*> applied;
  for (auto& s : run.steps)
    for (auto& f : s.findings)
      if (f.waiver) applied.push_back(&f);
  if (applied.empty() && run.waiver_notices.empty()) return {};
  std::stable_sort(applied.begin(), applied.end(), [](auto* a, auto* b) { return worse(*a, *b); });
  std::string out = "<section id=\"waivers\"><h2>Waivers</h2>\n<p class=\"muted\">" + std::to_string(applied.size()) +
                    " applied \xC2\xB7 ";
  std::size_t expired = 0;
  for (auto& n : run.waiver_notices) expired += n.state == "expired";
  out += std::to_string(expired) + " expired \xC2\xB7 " + std::to_string(run.waiver_notices.size() - expired) + " stale</p>\n";
  out += "<div class=\"table-wrap\"><table><thead><tr><th>State</th><th>Waiver</th><th>Finding</th><th>Reason</th>"
         "<th>Owner</th><th>Expires</th><th>Source</th></tr></thead><tbody>\n";
  for (auto& n : run.waiver_notices) {
    bool is_expired = n.state == "expired";
    out += std::string("<tr><td><span class=\"tag ") + (is_expired ? "tag-new\">expired" : "tag-unchanged\">stale") +
           "</span></td><td>" + html_text(n.id, 120) + "</td><td class=\"muted\">" +
           (is_expired                     ? "no longer applies"
            : n.reason.starts_with("VEX ") ? "matches no finding in this run"  // a VEX statement (policy::is_vex)
                                           : "matches no finding: remove it") + "</td><td>" + html_text(n.reason, 300) +
           "</td><td>" + (n.owner.empty() ? std::string("\xE2\x80\x94") : html_text(n.owner, 80)) + "</td><td class=\"date\">" +
           html_text(n.expires.empty() ? "never" : n.expires, 20) +
           "</td><td>" + html_text(n.source, 120) + "</td></tr>\n";
  }
  constexpr std::size_t kMaxApplied = 1000;
  for (std::size_t i = 0; i < applied.size() && i < kMaxApplied; ++i) {
    auto& f = *applied[i];
    auto& w = *f.waiver;
    out += "<tr><td><span class=\"tag tag-waived\">applied</span></td><td>" + html_text(w.id, 120) + "</td><td>" +
           html_text(f.rule_id, 120) + " <span class=\"muted\">" + html_text(where(f), 160) + "</span></td><td>" +
           html_text(w.reason, 300) + "</td><td>" + html_text(w.owner, 80) + "</td><td class=\"date\">" +
           html_text(w.expires.empty() ? "never" : w.expires, 20) + "</td><td>" + html_text(w.source, 120) + "</td></tr>\n";
  }
  out += "</tbody></table></div>\n";
  if (applied.size() > kMaxApplied)
    out += "<p class=\"muted\">and " + std::to_string(applied.size() - kMaxApplied) +
           " more waived findings (status \xE2\x80\x9Cwaived\xE2\x80\x9D in the table below).</p>\n";
  return out + "</section>\n";
}

}  // namespace

TrendPoint trend_point(const model::Run& run, std::string label) {
  TrendPoint p;
  p.label = label.empty() ? (run.finished_at.empty() ? run.started_at : run.finished_at).substr(0, 10) : std::move(label);
  p.verdict = run.verdict;
  for (auto& s : run.steps) {
    auto c = step_counts(s);
    for (int i = 0; i < 6; ++i) p.by[i] += c.by[i];
    p.waived += c.waived;
  }
  return p;
}

HtmlShard shard_summary(std::string name, const model::Run* envelope, const std::vector<model::StepResult>& steps) {
  HtmlShard sh;
  sh.name = std::move(name);
  bool error = false, failed = false;
  for (auto& s : steps) {
    sh.steps.push_back({s.name, s.status, step_counts(s)});
    error |= s.status == StepStatus::Error;
    failed |= s.status == StepStatus::Failed;
  }
  if (envelope) {
    sh.verdict = envelope->verdict;
    sh.reasons = envelope->reasons;
  } else {
    sh.verdict = error ? model::Verdict::Error : failed ? model::Verdict::Fail : model::Verdict::Pass;
  }
  return sh;
}

std::string write_html(const model::Run& run, const HtmlOptions& opt) {
  std::vector<TrendPoint> trend = opt.history;
  if (!trend.empty()) trend.push_back(trend_point(run, "this run"));

  const model::StepResult* size = nullptr;
  const model::StepResult* smoke = nullptr;
  for (auto& s : run.steps) {
    if (s.name == model::step::kSize && !size) size = &s;
    if (s.name == model::step::kSmoke && !smoke) smoke = &s;
  }
  std::string base = baseline(run, trend);
  std::string shard_html = shards(opt.shards);
  std::string waiver_html = waivers(run);

  std::string title = "dockgate: " + std::string(model::to_string(run.verdict));
  if (!run.context.repository.empty()) title += " \xE2\x80\x94 " + run.context.repository;
  if (!run.context.commit.empty()) title += " @ " + run.context.commit.substr(0, 12);

  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"" + std::string(kCsp) + "\">\n"
         "<meta name=\"referrer\" content=\"no-referrer\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>" + html_text(title, 200) + "</title>\n<style>" + std::string(html_css()) + "</style>\n</head>\n<body>\n";
  out += header(run);
  out += "<nav><a href=\"#summary\">Verdict</a>";
  if (!base.empty()) out += "<a href=\"#baseline\">Baseline</a>";
  if (!shard_html.empty()) out += "<a href=\"#shards\">Shards</a>";
  if (size) out += "<a href=\"#size\">Image size</a>";
  if (smoke) out += "<a href=\"#smoke\">Smoke test</a>";
  if (!waiver_html.empty()) out += "<a href=\"#waivers\">Waivers</a>";
  out += "<a href=\"#findings\">Findings</a></nav>\n<main>\n";
  out += summary(run);
  out += base;
  out += shard_html;
  if (size) out += size_section(*size);
  if (smoke) out += smoke_section(*smoke);
  out += waiver_html;
  out += "<section id=\"findings\"><h2>Findings</h2>\n" + finding_table(run, opt.static_rows) + "</section>\n";
  out += "<footer>dockgate " + html_text(run.dockgate_version.empty() ? "dev" : run.dockgate_version, 40);
  if (!run.finished_at.empty()) out += " \xC2\xB7 " + html_text(run.finished_at, 40);
  if (run.merged_duplicates > 0)
    out += " \xC2\xB7 " + std::to_string(run.merged_duplicates) + " duplicates merged across scanners";
  out += "</footer>\n</main>\n<script>" + std::string(html_js()) + "</script>\n</body></html>\n";
  return out;
}

}  // namespace dg::report
