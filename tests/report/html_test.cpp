// The HTML report: its structure over real reports (a reviewed golden of the skeleton), escaping
// of hostile scanner text, merge shards and the history trend. The browser test is in
// html_browser_test.cpp.
#include <nlohmann/json.hpp>
#include <regex>

#include "src/report/escape.hpp"
#include "src/report/html.hpp"
#include "tests/report/fixture.hpp"
#include "tests/report/html_support.hpp"

using namespace dg;

TEST_SUITE("report.html") {
  TEST_CASE("html skeleton of a corpus gate with baseline and waivers matches the golden") {
    test::TempDir tmp;
    auto page = test::html_corpus_page(tmp);
    REQUIRE_MESSAGE(!page.empty(), "gate --html wrote nothing");
    test::check_golden("corpus.html.skeleton.txt", test::html_skeleton(page));
  }

  TEST_CASE("html names the owner of an expired or stale waiver and the smoke test's attempts") {
    test::TempDir tmp;
    auto page = test::html_corpus_page(tmp);
    // html-waivers.yml: CVE-2019-1551 (app-team) expired on the pinned clock, CVE-1999-0001 (app-team) is stale.
    std::regex expired_row(R"(<tr><td><span class="tag tag-new">expired</span></td><td>CVE-2019-1551</td>.*?</tr>)");
    std::smatch m;
    REQUIRE(std::regex_search(page, m, expired_row));
    CHECK(m.str().find("<td>app-team</td>") != std::string::npos);

    auto run = test::mixed_run();
    for (auto& st : run.steps)
      if (st.name == "smoke-test") {
        st.metrics["attempts"] = 6;
        st.metrics.erase("ready_seconds");
      }
    auto html = report::write_html(run, {});
    CHECK(html.find(" s (6 attempts)") != std::string::npos);
  }

  TEST_CASE("html keeps hostile scanner text as text") {
    auto run = test::mixed_run();
    auto hostile = test::hostile_findings();
    for (auto& f : hostile) run.steps[1].findings.push_back(f);
    run.steps[1].name = "trivy<svg onload=console.error(7)>";
    run.context.job_url = "javascript:console.error(8)";
    run.context.repository = "acme/<b>shop</b>";
    run.reasons.push_back("trivy: </script><script>console.error(9)</script>");
    run.waiver_notices.push_back({"<img src=x onerror=console.error(10)>", "stale", "\"onerror=console.error(11)",
                                  "<b onmouseover=console.error(12)>owner</b>", "", "w.yml"});
    auto html = report::write_html(run, {});

    // Our two script elements and nothing else: no scanner text opened or closed one.
    auto count = [&](std::string_view needle) {
      std::size_t n = 0;
      for (auto p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
      return n;
    };
    // Attribute injection is checked in the markup; the JSON block holds the strings as JSON (where
    // a quote is \" and harmless) and is checked below.
    auto data_at = html.find("<script type=\"application/json\"");
    REQUIRE(data_at != std::string::npos);
    std::string markup = html.substr(0, data_at) + html.substr(html.find("</script>", data_at));
    auto in_markup = [&](std::string_view needle) { return markup.find(needle) != std::string::npos; };
    CHECK(count("<script") == 2);
    CHECK(count("</script") == 2);
    CHECK(count("<svg onload") == 0);
    CHECK(count("<img") == 0);
    CHECK(count("<b>shop") == 0);
    CHECK_FALSE(in_markup("\"onerror="));
    // No tag anywhere has an event handler (ours have none; a scanner's can only be escaped text).
    CHECK_FALSE(std::regex_search(markup, std::regex("<[a-zA-Z][^>]*\\son[a-z]+\\s*=")));
    CHECK_FALSE(in_markup("href=\"javascript"));
    CHECK(in_markup("&quot;onerror=&quot;console.error(2)&quot; x=&quot;"));
    CHECK(count("\xE2\x80\xA8") == 0);  // U+2028 raw
    CHECK(count("\xE2\x80\xA9") == 0);
    CHECK(html.find("&lt;/script&gt;&lt;script&gt;console.error(9)") != std::string::npos);

    // The JSON block is still JSON and still holds the hostile strings, whole.
    auto open = html.find("<script type=\"application/json\" id=\"dg-data\">");
    REQUIRE(open != std::string::npos);
    open = html.find('>', open) + 1;
    auto close = html.find("</script>", open);
    auto data = nlohmann::json::parse(html.substr(open, close - open));
    auto strings = data["strings"].get<std::vector<std::string>>();
    auto has = [&](std::string_view s) { return std::find(strings.begin(), strings.end(), s) != strings.end(); };
    CHECK(has("</script><script>console.error(1)</script>"));
    CHECK(has("\"onerror=\"console.error(2)\" x=\""));
    CHECK(has("<img src=x onerror=console.error(3)>"));
    CHECK(has("lineone"));  // line separators go, as in every one-line text of every writer
    CHECK(data["rows"].size() == run.steps[1].findings.size() + [&] {
      std::size_t n = 0;
      for (auto& s : run.steps)
        if (&s != &run.steps[1]) n += s.findings.size();
      return n;
    }());
  }

  TEST_CASE("json_for_script escapes what could end or bend a script element") {
    CHECK(report::json_for_script(R"({"a":"</script><!--&"})") == R"({"a":"\u003c/script\u003e\u003c!--\u0026"})");
    CHECK(report::json_for_script("\"a\xE2\x80\xA8z\xE2\x80\xA9\"") == "\"a\\u2028z\\u2029\"");
    CHECK(report::html_text("a\"b'c<d>&") == "a&quot;b&#39;c&lt;d&gt;&amp;");
    CHECK(report::html_block("x\n<y>\x1b[31m") == "x\n&lt;y&gt;");
  }

  TEST_CASE("html lists the worst rows as HTML and all of them in the data") {
    auto run = test::mixed_run();
    report::HtmlOptions opt;
    opt.static_rows = 3;
    auto html = report::write_html(run, opt);
    auto tbody = html.substr(html.find("<table id=\"dg-findings\""));
    tbody = tbody.substr(0, tbody.find("</table>"));
    std::size_t rows = 0;
    for (auto p = tbody.find("<tr><td data-v="); p != std::string::npos; p = tbody.find("<tr><td data-v=", p + 1)) ++rows;
    CHECK(rows == 3);
    CHECK(html.find("The 3 worst of ") != std::string::npos);
    // Worst first: the critical, unwaived ones come before anything else.
    CHECK(tbody.find("data-v=\"5\"") < tbody.find("data-v=\"4\""));
  }

  TEST_CASE("html says which findings do not count and which baseline steps were not compared") {
    auto run = test::mixed_run();
    auto& f = run.steps[1].findings[1];  // trivy CVE-2023-4911: no fixed version
    f.gating = false;
    f.why_not = "unfixed";
    run.baseline_incomplete = {"grype"};
    run.baseline_unknown = 7;
    auto html = report::write_html(run, {});
    CHECK(html.find("not counted: unfixed</span>") != std::string::npos);
    CHECK(html.find("Not compared: 7 baseline findings of grype") != std::string::npos);
    // A waived finding says waived, not also "not counted".
    for (auto& s : run.steps)
      for (auto& w : s.findings)
        if (w.waiver) {
          w.gating = false;
          w.why_not = "waived";
        }
    CHECK(report::write_html(run, {}).find("not counted: waived") == std::string::npos);
  }

  TEST_CASE("html layer chart reads the image-size step's largest layers") {
    auto layers = report::parse_layers(
        "image x: 12.0 MB, 2 layers\nlargest layers:\n  #2 310.00 MB 1a2b3c4d5e6f RUN pip install -r requirements.txt\n"
        "      200.0 MB /usr/lib/x\n  #1 5.2 MB  (no history)\nwasted (overwritten or deleted in a later layer):\n"
        "  1.0 MB /app/big.bin (2 layers)\n");
    REQUIRE(layers.size() == 2);
    CHECK(layers[0].index == 2);
    CHECK(layers[0].bytes == doctest::Approx(310e6));
    CHECK(layers[0].digest == "1a2b3c4d5e6f");
    CHECK(layers[0].instruction == "RUN pip install -r requirements.txt");
    CHECK(layers[1].index == 1);
    CHECK(layers[1].digest.empty());
    CHECK(layers[1].instruction == "(no history)");
  }

  TEST_CASE("merge --html has one section per shard and --history draws the trend") {
    test::TempDir tmp;
    auto a = tmp / "a.json", b = tmp / "b.json", page = tmp / "m.html";
    auto ra = test::cli({"gate", test::corpus("trivy/golden-alpine-39.json").string(), "--json", a.string(), "-q"});
    auto rb = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--json", b.string(), "-q"});
    REQUIRE_MESSAGE(test::read(a).size() > 0, ra.err);
    REQUIRE_MESSAGE(test::read(b).size() > 0, rb.err);
    auto r = test::cli({"merge", a.string(), b.string(), "--html", page.string(), "--history", a.string(), b.string(), "-q"});
    CHECK_MESSAGE((r.code == 0 || r.code == 1), r.err);
    auto html = test::read(page);
    CHECK(html.find("<section id=\"shards\"><h2>Shards (2)</h2>") != std::string::npos);
    CHECK(html.find("a.json") != std::string::npos);
    CHECK(html.find("b.json") != std::string::npos);
    CHECK(html.find("aria-label=\"Findings per result over time\"") != std::string::npos);
    CHECK(html.find("Trend over 3 results") != std::string::npos);

    auto bad = test::cli({"gate", test::corpus("trivy/golden-alpine-39.json").string(), "--html", page.string(),
                          "--history", test::corpus("trivy/golden-alpine-39.json").string(), "-q"});
    CHECK(bad.code == 3);  // a history file that is not a dockgate result: an input error, like --baseline
  }

  TEST_CASE("gate --html and --json on one path is a usage error") {
    test::TempDir tmp;
    auto r = test::cli({"gate", test::corpus("trivy/golden-alpine-39.json").string(), "--html",
                        (tmp / "x").string(), "--json", (tmp / "x").string(), "-q"});
    CHECK(r.code == 2);
  }
}
