#include "adapters/ingest/sniff.hpp"
#include "src/report/html.hpp"
#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"

using namespace dg;

namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    auto end = s.find('\n', pos);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::size_t cells(const std::string& row) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i] == '\\') ++i;
    else if (row[i] == '|') ++n;
  }
  return n;
}

std::size_t occurrences(const std::string& s, std::string_view what) {
  std::size_t n = 0;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
  return n;
}

// Well-formed as the renderers need it: fences closed, <details> balanced, every table row
// with as many cells as its header and a separator under the header.
std::string structure_errors(const std::string& md) {
  std::string err;
  std::size_t fence = 0;
  int details = 0;
  std::size_t header_cells = 0;
  bool in_table = false;
  auto ls = lines_of(md);
  for (std::size_t i = 0; i < ls.size(); ++i) {
    auto& l = ls[i];
    std::size_t ticks = 0;
    while (ticks < l.size() && l[ticks] == '`') ++ticks;
    if (fence) {
      if (ticks >= fence && l.find_first_not_of('`') == std::string::npos) fence = 0;
      continue;
    }
    if (ticks >= 3) {
      fence = ticks;
      continue;
    }
    details += static_cast<int>(occurrences(l, "<details>")) - static_cast<int>(occurrences(l, "</details>"));
    if (details < 0) err += "line " + std::to_string(i + 1) + ": </details> without <details>\n";
    if (l.starts_with("|")) {
      if (!in_table) {
        in_table = true;
        header_cells = cells(l);
        if (i + 1 >= ls.size() || !ls[i + 1].starts_with("|-") || cells(ls[i + 1]) != header_cells)
          err += "line " + std::to_string(i + 1) + ": table header without separator\n";
      } else if (cells(l) != header_cells) {
        err += "line " + std::to_string(i + 1) + ": row has " + std::to_string(cells(l)) + " cells, header " +
               std::to_string(header_cells) + "\n";
      }
      if (!l.ends_with("|")) err += "line " + std::to_string(i + 1) + ": row not closed\n";
    } else {
      in_table = false;
    }
  }
  if (fence) err += "code fence not closed\n";
  if (details != 0) err += "<details> not balanced\n";
  return err;
}

model::Run huge_run(std::size_t n) {
  auto run = test::mixed_run();
  auto& trivy = run.steps[1];
  for (std::size_t i = 0; i < n; ++i) {
    auto f = test::pkg(test::finding("trivy", "CVE-2024-" + std::to_string(10000 + i), model::Severity::High,
                                     model::Kind::Vulnerability, "a long enough title for a vulnerability number " +
                                                                     std::to_string(i)),
                       "pkg" + std::to_string(i % 300), "1.0." + std::to_string(i % 7), "1.1", "img (debian 12)");
    f.fingerprint = "fp" + std::to_string(i);
    trivy.findings.push_back(std::move(f));
  }
  return run;
}

}  // namespace

TEST_SUITE("report.markdown") {
  TEST_CASE("mixed run matches the golden file") {
    report::MarkdownOptions o;
    o.marker_key = "image-gate";
    test::check_golden("mixed.comment.md", report::write_markdown(test::mixed_run(), o));
  }

  TEST_CASE("a stale VEX statement is not advised for removal") {
    auto run = test::mixed_run();
    run.waiver_notices.push_back({"CVE-2023-0464 for pkg:deb/debian/libssl1.1", "stale", "VEX not_affected statement",
                                  "security@example.com", "", "vex.json:40"});
    auto md = report::write_markdown(run, {});
    CHECK(md.find("**stale** CVE-2023-0464 for pkg:deb/debian/libssl1.1: it matches no finding in this run \xE2\x80\x94 "
                  "VEX not\\_affected statement") != std::string::npos);
    CHECK(md.find("**stale** DL3013: it matches no finding, remove it") != std::string::npos);  // a waiver: remove it
    auto html = report::write_html(run, {});
    CHECK(html.find("matches no finding in this run") != std::string::npos);
  }

  TEST_CASE("marker first then verdict table baseline smoke size and waivers") {
    report::MarkdownOptions o;
    o.marker_key = "build --> <b>x</b>";
    auto md = report::write_markdown(test::mixed_run(), o);
    CHECK(md.starts_with("<!-- dockgate:build-b-x-/b- -->\n"));  // a key cannot close the comment
    CHECK(md.find("dockgate: error") != std::string::npos);
    CHECK(md.find("| trivy | \xE2\x9D\x8C failed | 2 | 1 | 0 | 0 | 0 | 0 | 1 | 2 |") != std::string::npos);
    CHECK(md.find("4 new \xC2\xB7 3 unchanged \xC2\xB7 1 fixed") != std::string::npos);
    CHECK(md.find("libssl3 3.0.7-1 \xE2\x86\x92 3.0.8-1") != std::string::npos);
    CHECK(md.find("| Image | 412.0 MB | |") != std::string::npos);
    CHECK(md.find("| Baseline | 350.0 MB | +17.7% |") != std::string::npos);
    CHECK(md.find("**expired** CVE-2021-3711") != std::string::npos);
    CHECK(md.find("**stale** DL3013") != std::string::npos);
    CHECK(md.find("[job image-gate](https://github.com/acme/shop/actions/runs/7/job/9)") != std::string::npos);
    CHECK(md.find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
    // the log excerpt holds ``` itself: the fence is longer, so nothing escapes it
    CHECK(md.find("````text\nStarting gunicorn") != std::string::npos);
    CHECK(md.find('\x1b') == std::string::npos);
    CHECK(structure_errors(md) == "");
    o.with_marker = false;
    CHECK(report::write_markdown(test::mixed_run(), o).find("<!--") == std::string::npos);
  }

  TEST_CASE("the image-size section shows the compressed size and the layer breakdown") {
    auto run = test::mixed_run();
    for (auto& s : run.steps)
      if (s.name == "image-size") {
        s.metrics["compressed_bytes"] = 150000000;
        s.log_excerpt = "largest layers:\n  #1 310.00 MB 1a2b3c4d5e6f RUN pip install -r requirements.txt\n";
      }
    auto md = report::write_markdown(run, {});
    CHECK(md.find("| Compressed (pulled) | 150.0 MB | |") != std::string::npos);
    auto at = md.find("<details><summary>Layers, largest first</summary>");
    REQUIRE(at != std::string::npos);
    CHECK(md.find("#1 310.00 MB 1a2b3c4d5e6f RUN pip install -r requirements.txt", at) != std::string::npos);
    CHECK(structure_errors(md) == "");
  }

  TEST_CASE("scanner text cannot inject markup mentions or references") {
    auto run = test::mixed_run();
    run.steps[4].log_excerpt.clear();  // inside its code fence the log is inert; test the rest
    run.steps[5].log_excerpt.clear();  // the size step's layer breakdown too
    auto& f = run.steps[1].findings[0];
    f.title = "| @everyone <img src=x> ``` `";
    f.package.name = "#1 @org/team";
    f.rule_id = "[x](javascript:alert(1))";
    run.reasons.push_back("trivy: <b>@admin</b> see #99 and !12");
    auto md = report::write_markdown(run, {});
    CHECK(md.find("<img") == std::string::npos);
    CHECK(md.find("<b>") == std::string::npos);
    CHECK(md.find("@everyone") == std::string::npos);
    CHECK(md.find("@org") == std::string::npos);
    CHECK(md.find("@admin") == std::string::npos);
    CHECK(md.find("#1 ") == std::string::npos);
    CHECK(md.find("#99") == std::string::npos);
    CHECK(md.find("!12") == std::string::npos);
    CHECK(md.find("[x](javascript") == std::string::npos);
    CHECK(md.find("\\[x\\](javascript") != std::string::npos);
    CHECK(md.find("@&#8203;everyone") != std::string::npos);
    CHECK(md.find("&lt;img src=x&gt;") != std::string::npos);
    // the only fences are ours (the smoke log): scanner backticks are escaped
    CHECK(md.find("\\`\\`\\`") != std::string::npos);
    CHECK(structure_errors(md) == "");
  }

  TEST_CASE("100000 findings stay within the GitHub limit and well formed") {
    auto run = huge_run(100000);
    report::MarkdownOptions o;
    auto md = report::write_markdown(run, o);
    CHECK(md.size() <= 65536);
    CHECK(md.size() > 60000);  // the room is used, not given away
    CHECK(structure_errors(md) == "");
    CHECK(md.find("more findings are not listed here") != std::string::npos);
    // honest count: every finding (waived ones included) is a table row or counted in the note
    std::size_t rows = 0;
    for (auto& l : lines_of(md))
      if (l.starts_with("| ") && cells(l) == 6 && !l.starts_with("| Severity") && !l.starts_with("| Rule |")) ++rows;
    std::size_t total = 0;
    for (auto& s : run.steps)
      if (s.name != "smoke-test" && s.name != "image-size") total += s.findings.size();
    auto pos = md.find("> [!NOTE]\n> ");
    REQUIRE(pos != std::string::npos);
    std::size_t missing = std::stoul(md.substr(pos + 12));
    CHECK(rows - run.fixed.size() + missing == total);
    o.max_chars = 1000000;  // GitLab
    auto big = report::write_markdown(run, o);
    CHECK(big.size() <= 1000000);
    CHECK(big.size() > 900000);
    CHECK(structure_errors(big) == "");
  }

  TEST_CASE("a tiny limit still gives a well formed honest comment") {
    report::MarkdownOptions o;
    for (std::size_t limit : {200u, 600u, 1500u, 4000u}) {
      o.max_chars = limit;
      auto md = report::write_markdown(test::mixed_run(), o);
      CHECK(md.size() <= limit);
      CHECK(structure_errors(md) == "");
      CHECK(md.starts_with("<!-- dockgate:default -->"));
    }
  }

  TEST_CASE("a real trivy report renders with fixed versions") {
    auto parsed = ingest::parse_report(test::corpus("trivy/golden-alpine-310.json"));
    REQUIRE(parsed);
    model::Run run;
    run.steps = parsed->steps;
    run.verdict = model::Verdict::Fail;
    auto md = report::write_markdown(run, {});
    CHECK(structure_errors(md) == "");
    CHECK(md.find("\xE2\x86\x92") != std::string::npos);
    CHECK(md.find("more findings are not listed") == std::string::npos);  // small enough to list in full
  }
}
