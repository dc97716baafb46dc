// The finding table of the HTML report. The worst rows are written as HTML, so the table reads
// with JavaScript off; every finding also goes into one JSON block that the script sorts,
// filters and pages through. Strings in that block are interned (a package, a target, a title
// repeats across thousands of findings), which keeps a 100,000-finding page to a size a browser
// parses in a few seconds.
#include <algorithm>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "src/report/escape.hpp"
#include "src/report/html.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

using model::Finding;

constexpr std::size_t kTitleBytes = 300;
constexpr std::size_t kCellBytes = 200;

// What one row shows, as plain text (escaped where it is written).
struct Row {
  int severity = 0;
  std::string step, tools, tool_severities, id, url, aliases, package, installed, fixed, location, title, note;
  std::string why_not;  // unwaived but not counted against the verdict: unfixed, below-threshold, not-new
  bool no_fix = false;
  int status = 0;  // 0 none, 1 new, 2 unchanged, 3 waived
  bool kev = false;  // known exploited (CISA KEV)
  std::string kev_note, epss;  // the KEV badge's tooltip; "EPSS 8.0% (p53)"
};

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

Row row_of(const Finding& f, const std::string& step) {
  Row r;
  r.severity = static_cast<int>(f.severity);
  r.step = one_line(step);
  r.tools = one_line(join(f.sources.empty() ? std::vector<std::string>{f.tool} : f.sources, " + "));
  r.tool_severities = one_line(join(f.source_severities, ", "));
  r.id = util::truncate_utf8(one_line(f.rule_id), kCellBytes);
  if (safe_url(f.help_uri)) r.url = f.help_uri;
  r.aliases = util::truncate_utf8(one_line(join(f.aliases, ", ")), kCellBytes);
  r.package = util::truncate_utf8(one_line(f.package.name), kCellBytes);
  r.installed = util::truncate_utf8(one_line(f.package.version), kCellBytes);
  r.fixed = util::truncate_utf8(one_line(f.package.fixed_version), kCellBytes);
  r.no_fix = !f.package.name.empty() && f.package.fixed_version.empty() && f.kind == model::Kind::Vulnerability;
  std::string loc = f.location.path.empty() ? f.location.target : where(f);
  if (!f.location.path.empty() && !f.location.target.empty() && f.location.target != f.location.path)
    loc += " (" + f.location.target + ")";
  r.location = util::truncate_utf8(one_line(loc), kCellBytes);
  r.title = util::truncate_utf8(one_line(f.title.empty() ? f.message : f.title), kTitleBytes);
  if (f.waiver) {
    r.status = 3;
    auto& w = *f.waiver;
    r.note = util::truncate_utf8(
        one_line("waived" + (w.owner.empty() ? std::string() : " by " + w.owner) +
                 (w.expires.empty() ? std::string() : " until " + w.expires) +
                 (w.reason.empty() ? std::string() : ": " + w.reason)),
        kCellBytes);
  } else if (f.baseline == model::BaselineState::New) {
    r.status = 1;
  } else if (f.baseline == model::BaselineState::Unchanged) {
    r.status = 2;
  }
  if (!f.waiver && !f.gating) r.why_not = one_line(f.why_not.empty() ? "policy" : f.why_not);
  r.kev = f.risk.kev;
  if (r.kev)
    r.kev_note = util::truncate_utf8(
        one_line("known exploited" + (f.risk.kev_added.empty() ? std::string() : ", in KEV since " + f.risk.kev_added) +
                 (f.risk.kev_due.empty() ? std::string() : ", due " + f.risk.kev_due) +
                 (f.risk.kev_ransomware == "Known" ? std::string(", used in ransomware campaigns") : std::string()) +
                 (f.risk.kev_action.empty() ? std::string() : ": " + f.risk.kev_action)),
        kCellBytes);
  r.epss = epss_text(f.risk);
  return r;
}

constexpr std::string_view kStatusWord[] = {"", "new", "unchanged", "waived"};

// Escaped already: `one_line` ran in row_of, html_text escapes (and would fold again: cheap).
std::string cell(std::string_view s) { return html_text(s); }

std::string html_row(const Row& r) {
  auto sev = static_cast<model::Severity>(r.severity);
  std::string out = "<tr><td data-v=\"" + std::to_string(r.severity) + "\"><span class=\"sev sev-" +
                    std::string(model::to_string(sev)) + "\">" + std::string(model::to_string(sev)) + "</span></td>";
  out += "<td>";
  if (r.status) {
    out += "<span class=\"tag tag-" + std::string(kStatusWord[r.status]) + "\"";
    if (!r.note.empty()) out += " title=\"" + cell(r.note) + "\"";
    out += ">" + std::string(kStatusWord[r.status]) + "</span>";
  }
  if (!r.why_not.empty())
    out += " <span class=\"tag tag-muted\" title=\"does not count against the verdict\">not counted: " + cell(r.why_not) + "</span>";
  if (r.kev) out += " <span class=\"tag tag-kev\" title=\"" + cell(r.kev_note) + "\">KEV</span>";
  if (!r.epss.empty()) out += " <span class=\"small muted\">" + cell(r.epss) + "</span>";
  out += "</td><td";
  if (!r.tool_severities.empty()) out += " title=\"" + cell(r.tool_severities) + "\"";
  out += ">" + cell(r.tools) + "</td><td class=\"id\">";
  if (!r.url.empty())
    out += "<a href=\"" + cell(r.url) + "\" rel=\"noopener noreferrer\" target=\"_blank\">" + cell(r.id) + "</a>";
  else
    out += cell(r.id);
  if (!r.aliases.empty()) out += "<div class=\"small muted\">" + cell(r.aliases) + "</div>";
  out += "</td><td>" + cell(r.package) + "</td><td class=\"ver\">";
  if (!r.installed.empty()) {
    out += cell(r.installed);
    if (!r.fixed.empty()) out += " \xE2\x86\x92 <span class=\"fix\">" + cell(r.fixed) + "</span>";
    else if (r.no_fix) out += " <span class=\"muted\">(no fix yet)</span>";
  }
  out += "</td><td class=\"loc\">" + cell(r.location) + "</td><td>" + cell(r.title) + "</td><td>" + cell(r.step) +
         "</td></tr>\n";
  return out;
}

// Interns strings: index 0 is always "".
struct Strings {
  std::unordered_map<std::string, int> index;
  Strings() { index.emplace("", 0); }
  int operator()(const std::string& s) {
    return index.try_emplace(s, static_cast<int>(index.size())).first->second;
  }
  std::string json() const {
    std::vector<const std::string*> by_index(index.size());
    for (auto& [s, i] : index) by_index[static_cast<std::size_t>(i)] = &s;
    std::string out = "[";
    for (std::size_t i = 0; i < by_index.size(); ++i) {
      if (i) out += ',';
      out += nlohmann::json(*by_index[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    return out + "]";
  }
};

}  // namespace

std::string finding_table(const model::Run& run, std::size_t static_rows) {
  std::vector<std::pair<const Finding*, const std::string*>> all;
  for (auto& s : run.steps)
    for (auto& f : s.findings) all.emplace_back(&f, &s.name);
  std::stable_sort(all.begin(), all.end(), [](auto& a, auto& b) { return worse(*a.first, *b.first); });

  Strings strings;
  std::string rows_json = "[";
  std::string static_html;
  std::size_t shown = std::min(static_rows, all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    Row r = row_of(*all[i].first, *all[i].second);
    if (i < shown) static_html += html_row(r);
    if (i) rows_json += ',';
    rows_json += "[" + std::to_string(r.severity) + "," + std::to_string(r.status) + "," + std::to_string(strings(r.tools)) +
                 "," + std::to_string(strings(r.tool_severities)) + "," + std::to_string(strings(r.id)) + "," +
                 std::to_string(strings(r.url)) + "," + std::to_string(strings(r.aliases)) + "," +
                 std::to_string(strings(r.package)) + "," + std::to_string(strings(r.installed)) + "," +
                 std::to_string(strings(r.fixed)) + "," + (r.no_fix ? "1" : "0") + "," +
                 std::to_string(strings(r.location)) + "," + std::to_string(strings(r.title)) + "," +
                 std::to_string(strings(r.step)) + "," + std::to_string(strings(r.note)) + "," +
                 std::to_string(strings(r.why_not)) + "," + (r.kev ? "1" : "0") + "," +
                 std::to_string(strings(r.kev_note)) + "," + std::to_string(strings(r.epss)) + "]";
  }
  rows_json += "]";

  std::vector<std::string> steps;
  for (auto& s : run.steps)
    if (!s.findings.empty()) steps.push_back(one_line(s.name));

  std::string out;
  out += "<div class=\"filters\" id=\"dg-filters\" hidden>"
         "<label>Search <input type=\"search\" id=\"dg-q\" placeholder=\"id, package, file, title, tool\"></label>"
         "<span class=\"sevs\" id=\"dg-sevs\">";
  for (int sv = 5; sv >= 0; --sv) {
    auto word = std::string(model::to_string(static_cast<model::Severity>(sv)));
    out += "<label class=\"chk\"><input type=\"checkbox\" value=\"" + std::to_string(sv) + "\" checked> <span class=\"sev sev-" +
           word + "\">" + word + "</span></label>";
  }
  out += "</span><label>Step <select id=\"dg-step\"><option value=\"\">all</option>";
  for (auto& s : steps) out += "<option>" + html_text(s) + "</option>";
  out += "</select></label><label>Status <select id=\"dg-status\"><option value=\"\">all</option>"
         "<option value=\"open\">not waived</option><option value=\"counted\">counted against the verdict</option><option value=\"1\">new</option><option value=\"2\">unchanged</option>"
         "<option value=\"3\">waived</option></select></label>"
         "<label>Rows <select id=\"dg-size\"><option>50</option><option selected>100</option><option>500</option></select></label>"
         "</div>\n";
  out += "<p id=\"dg-count\" class=\"muted\">";
  if (all.empty()) out += "No findings.";
  else if (shown < all.size())
    out += "The " + std::to_string(shown) + " worst of " + std::to_string(all.size()) +
           " findings. The rest are in the result JSON; with JavaScript on, this table pages through all of them.";
  else
    out += std::to_string(all.size()) + (all.size() == 1 ? " finding, worst first." : " findings, worst first.");
  out += "</p>\n";
  out += "<div class=\"table-wrap\"><table id=\"dg-findings\" class=\"findings\"><thead><tr>"
         "<th data-col=\"0\" aria-sort=\"descending\">Severity</th><th data-col=\"1\">Status</th><th data-col=\"2\">Tool(s)</th>"
         "<th data-col=\"4\">ID</th><th data-col=\"7\">Package</th><th data-col=\"8\">Installed \xE2\x86\x92 fixed</th>"
         "<th data-col=\"11\">Location</th><th data-col=\"12\">Title</th><th data-col=\"13\">Step</th></tr></thead>\n<tbody>\n";
  out += static_html;
  out += "</tbody></table></div>\n<div class=\"pager\" id=\"dg-pager\" hidden></div>\n";
  out += "<script type=\"application/json\" id=\"dg-data\">{\"strings\":" + json_for_script(strings.json()) +
         ",\"rows\":" + rows_json + "}</script>\n";
  return out;
}

}  // namespace dg::report
