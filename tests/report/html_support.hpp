#pragma once
// Shared by the HTML report tests: a page made by `dockgate gate --html` from corpus reports,
// hostile findings, and the skeleton of a page (what the golden compares). Header-only.
#include <string>
#include <vector>

#include "src/model/fingerprint.hpp"
#include "src/model/run.hpp"
#include "tests/support.hpp"

namespace dg::test {

// gate over real reports: trivy (alpine 3.10) against a baseline of trivy (alpine 3.9), grype,
// hadolint and bandit, with a waiver file that applies one waiver, has one expired and one
// stale. `extra` are more inputs (result JSONs of a size or smoke step). Returns the page.
inline std::string html_corpus_page(const TempDir& tmp, const std::vector<std::string>& extra = {},
                                    const std::string& page_name = "page.html") {
  auto base = tmp / "base.json";
  auto b = cli({"gate", corpus("trivy/golden-alpine-39.json").string(), "--json", base.string(), "-q"});
  REQUIRE_MESSAGE(fs::exists(base), b.err);
  // The waiver file is given by a relative path from the page's directory, as a CI job would: its
  // path is shown in the page (and in the README's screenshot).
  fs::copy_file(data("report/html-waivers.yml"), tmp / ".dockgate-waivers.yml", fs::copy_options::overwrite_existing);
  std::vector<std::string> args{dockgate_binary(), "gate",
                                corpus("trivy/golden-alpine-310.json").string(),
                                corpus("grype/dd-fix_available.json").string(),
                                corpus("hadolint/dd-one_dockerfile.json").string(),
                                corpus("bandit/dd-one_vuln.json").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("--baseline");
  args.push_back(base.string());
  args.push_back("--waivers");
  args.push_back(".dockgate-waivers.yml");
  args.push_back("--html");
  args.push_back((tmp / page_name).string());
  args.push_back("-q");
  auto r = run_process(args, {{"SOURCE_DATE_EPOCH", "1795000000"}}, {}, 120, tmp.path);
  CHECK_MESSAGE((r.code == 0 || r.code == 1), r.err);
  return fs::exists(tmp / page_name) ? read(tmp / page_name) : std::string();
}

inline std::vector<model::Finding> hostile_findings() {
  auto make = [](std::string rule, std::string title) {
    model::Finding f;
    f.tool = "trivy";
    f.sources = {"trivy", "grype</td><td>"};
    f.rule_id = std::move(rule);
    f.severity = model::Severity::High;
    f.kind = model::Kind::Vulnerability;
    f.title = std::move(title);
    f.location.target = "img:<script>console.error(0)</script>";
    return f;
  };
  std::vector<model::Finding> v;
  v.push_back(make("CVE-0000-0001", "</script><script>console.error(1)</script>"));
  v.push_back(make("CVE-0000-0002", "\"onerror=\"console.error(2)\" x=\""));
  v.back().help_uri = "javascript:console.error(5)";
  v.push_back(make("CVE-0000-0003", "<img src=x onerror=console.error(3)>"));
  v.back().package = {"<b>pkg</b>", "1<2", "2\"><script>console.error(4)</script>", "", "deb", ""};
  v.push_back(make("CVE-0000-0004", "line\xE2\x80\xA8one"));
  v.push_back(make("CVE-0000-0005", "waived, with a hostile owner"));
  v.back().waiver = model::Waiver{"CVE-0000-0005", "<i>reason</i>", "<script>console.error(6)</script>", "2027-01-01", "w.yml"};
  model::assign_fingerprints(v);
  return v;
}

// The page's outline, one line per element that structures it: sections, headings, tables
// (header cells and row count), charts (their label), <details>, <pre>, scripts. Text and
// numbers inside cells are left out, so the golden says what the page is made of.
inline std::string html_skeleton(const std::string& html) {
  auto strip = [](std::string_view s) {
    std::string out;
    bool tag = false;
    for (char c : s) {
      if (c == '<') tag = true;
      else if (c == '>') tag = false;
      else if (!tag) out += c;
    }
    return out;
  };
  auto attr = [](std::string_view tag, std::string_view name) -> std::string {
    auto p = tag.find(std::string(name) + "=\"");
    if (p == std::string_view::npos) return {};
    p += name.size() + 2;
    return std::string(tag.substr(p, tag.find('"', p) - p));
  };
  std::string out;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    auto end = html.find('>', i);
    if (end == std::string::npos) break;
    std::string_view tag(html.data() + i, end - i + 1);
    auto name_end = tag.find_first_of(" >");
    std::string name(tag.substr(1, name_end - 1));
    auto until = [&](std::string_view close) {
      auto e = html.find(close, end);
      return e == std::string::npos ? std::string_view() : std::string_view(html).substr(end + 1, e - end - 1);
    };
    if (name == "section" || name == "nav" || name == "header" || name == "footer") {
      out += name + (attr(tag, "id").empty() ? "" : " #" + attr(tag, "id")) + "\n";
      if (name == "nav") out += "  links: " + strip(until("</nav>")) + "\n";
    } else if (name == "h1" || name == "h2" || name == "h3") {
      out += "  " + name + ": " + strip(until("</" + name + ">")) + "\n";
    } else if (name == "table") {
      auto body = until("</table>");
      auto head = body.substr(0, body.find("</thead>"));
      std::string cells;
      for (auto p = head.find("<th"); p != std::string_view::npos; p = head.find("<th", p + 1)) {
        if (head.substr(p, 6) == "<thead") continue;
        auto gt = head.find('>', p);
        cells += (cells.empty() ? "" : " | ") + strip(head.substr(gt + 1, head.find("</th>", gt) - gt - 1));
      }
      std::size_t rows = 0;
      auto tb = body.find("<tbody>");
      for (auto p = body.find("<tr", tb); tb != std::string_view::npos && p != std::string_view::npos; p = body.find("<tr", p + 1))
        ++rows;
      out += "  table" + (attr(tag, "id").empty() ? "" : " #" + attr(tag, "id")) + " [" + cells + "] rows " +
             std::to_string(rows) + "\n";
    } else if (name == "svg") {
      out += "  svg: " + attr(tag, "aria-label") + "\n";
    } else if (name == "details") {
      auto s = html.find("<summary>", end);
      auto e = html.find("</summary>", s);
      out += "  details: " + strip(std::string_view(html).substr(s + 9, e - s - 9)) + "\n";
    } else if (name == "pre") {
      out += "  pre\n";
    } else if (name == "script") {
      out += "  script" + (attr(tag, "type").empty() ? "" : " " + attr(tag, "type")) + "\n";
    } else if (name == "meta" && !attr(tag, "http-equiv").empty()) {
      out += "meta " + attr(tag, "http-equiv") + ": " + attr(tag, "content") + "\n";
    }
    i = end + 1;
  }
  return out;
}

}  // namespace dg::test
