// The HTML report in a real browser: Debian's chromium, headless, driven over the DevTools
// protocol by tests/data/report/html_browser.py. The page must load with no console message, no
// exception, no CSP violation and no request but its own file; the script must have built the
// table; the screenshot is kept at build/html-report.png (the README's picture comes from it).
#include <nlohmann/json.hpp>

#include "src/report/html.hpp"
#include "tests/report/fixture.hpp"
#include "tests/report/html_support.hpp"
#include "tests/steps/image_fixture.hpp"
#include "tests/steps/steps_support.hpp"

using namespace dg;

namespace {

struct Loaded {
  nlohmann::json report;
  std::string dom;
};

Loaded load_in_chromium(const test::fs::path& page, const test::fs::path& png, const test::TempDir& tmp,
                        const std::vector<std::string>& extra = {}) {
  auto dom = tmp / "dom.html";
  std::vector<std::string> argv{"python3", test::data("report/html_browser.py").string(), page.string(), png.string(),
                                dom.string(), "--timeout", "90"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto r = test::run_process(argv, {}, {}, 120);
  REQUIRE_MESSAGE(r.code == 0, "html_browser.py: " << r.out << r.err);
  Loaded l;
  l.report = nlohmann::json::parse(r.out);
  l.dom = test::read(dom);
  return l;
}

// Nothing the page did may be a message: our script logs nothing, so any line is a fault (a
// thrown error, a CSP violation, a blocked request).
void check_quiet(const Loaded& l, const std::string& page_url) {
  CHECK_MESSAGE(l.report["console"].empty(), l.report["console"].dump());
  CHECK_MESSAGE(l.report["exceptions"].empty(), l.report["exceptions"].dump());
  CHECK_MESSAGE(l.report["log"].empty(), l.report["log"].dump());
  CHECK_MESSAGE(l.report["blocked"].empty(), l.report["blocked"].dump());
  // The only request is the page itself: no font, image, script or beacon left it.
  REQUIRE(l.report["requests"].size() == 1);
  CHECK(l.report["requests"][0] == page_url);
}

}  // namespace

TEST_SUITE("report.html.browser") {
  TEST_CASE("html report renders in headless chromium with no console errors and no requests") {
    if (!test::need_program("chromium") || !test::need_program("python3")) return;
    test::TempDir tmp;
    // The image-size and smoke-test steps of a real run, as result JSONs gate reads back.
    std::vector<std::string> extra;
    if (test::need(test::image_fixture::have_tools(), "umoci")) {
      auto built = test::image_fixture::build(tmp.path);
      auto size = tmp / "size.json";
      auto r = test::cli({"size", "--oci", built.layout.string() + ":v2", "--max", "4MB", "--json", size.string(), "-q"});
      CHECK_MESSAGE(test::fs::exists(size), r.err);
      extra.push_back(size.string());
    }
    {
      int port = test::free_port();
      auto smoke = tmp / "smoke.json";
      std::vector<std::string> args{"smoke", "--url", "http://127.0.0.1:" + std::to_string(port) + "/health",
                                    "--interval", "0.2", "--timeout", "2s", "--stop-timeout", "3", "--json",
                                    smoke.string(), "-q", "--"};
      for (auto& a : test::server_cmd(port, {"--status", "503"})) args.push_back(a);
      auto r = test::cli(args);
      CHECK_MESSAGE(test::fs::exists(smoke), r.err);
      extra.push_back(smoke.string());
    }
    auto html = test::html_corpus_page(tmp, extra);
    REQUIRE(!html.empty());
    auto png = test::fs::path(test::dockgate_binary()).parent_path() / "html-report.png";
    // The filters and sorting work: only the waived rows, then sorted by package.
    auto l = load_in_chromium(
        tmp / "page.html", png, tmp,
        {"--eval",
         "var s=document.getElementById('dg-status');s.value='3';s.dispatchEvent(new Event('change'));"
         "document.getElementById('dg-count').textContent+'|'+document.querySelectorAll('#dg-findings tbody tr').length",
         "--eval",
         "document.querySelector('th[data-col=\"7\"] button').click();Array.from(document.querySelectorAll("
         "'#dg-findings tbody tr td:nth-child(5)')).map(function(t){return t.textContent}).join(',')"});
    check_quiet(l, "file://" + (tmp / "page.html").string());
    REQUIRE(l.report["evals"].size() == 2);
    auto filtered = l.report["evals"][0].get<std::string>();
    CHECK_MESSAGE((filtered.starts_with("2 of ") && filtered.ends_with(" findings match.|2")), filtered);
    CHECK(l.report["evals"][1] == "libcrypto1.1,libssl1.1");

    // What the script builds is in the DOM: the filters and pager shown, the rows re-rendered.
    CHECK(l.dom.find("<tbody data-rendered=\"js\">") != std::string::npos);
    CHECK(l.dom.find("id=\"dg-filters\" hidden") == std::string::npos);
    CHECK(l.dom.find("<div class=\"pager\" id=\"dg-pager\"><button") != std::string::npos);
    CHECK(l.dom.find("<th data-col=\"7\" aria-sort=\"ascending\"><button") != std::string::npos);  // sorted by package
    CHECK(l.dom.find("data-dg-ready=") != std::string::npos);
    CHECK(l.dom.find("<section id=\"size\">") != std::string::npos);
    CHECK(l.dom.find("<section id=\"smoke\">") != std::string::npos);
    CHECK(test::fs::file_size(png) > 10000);
    MESSAGE("screenshot: " << png.string() << "; timing " << l.report["timing"].dump());
  }

  TEST_CASE("html report reads with JavaScript off") {
    if (!test::need_program("chromium") || !test::need_program("python3")) return;
    test::TempDir tmp;
    auto run = test::mixed_run();
    auto page = tmp / "nojs.html";
    test::write(page, report::write_html(run, {}));
    auto l = load_in_chromium(page, tmp / "nojs.png", tmp, {"--no-js"});
    check_quiet(l, "file://" + page.string());
    CHECK(l.report["timing"]["script_done_ms"].is_null());  // the script did not run
    // The summary, the charts and the worst rows are plain HTML; the filters stay hidden.
    CHECK(l.dom.find("<section id=\"summary\">") != std::string::npos);
    CHECK(l.dom.find("aria-label=\"Unwaived findings by severity and step\"") != std::string::npos);
    CHECK(l.dom.find("id=\"dg-filters\" hidden") != std::string::npos);
    CHECK(l.dom.find("<tbody data-rendered") == std::string::npos);
    std::size_t rows = 0, total = 0;
    for (auto p = l.dom.find("<tr><td data-v="); p != std::string::npos; p = l.dom.find("<tr><td data-v=", p + 1)) ++rows;
    for (auto& s : run.steps) total += s.findings.size();
    CHECK(rows == total);
  }

  TEST_CASE("html with hostile scanner text runs nothing in chromium") {
    if (!test::need_program("chromium") || !test::need_program("python3")) return;
    test::TempDir tmp;
    auto run = test::mixed_run();
    for (auto& f : test::hostile_findings()) run.steps[1].findings.push_back(f);
    auto page = tmp / "hostile.html";
    test::write(page, report::write_html(run, {}));
    auto l = load_in_chromium(page, tmp / "hostile.png", tmp);
    // Every payload calls console.error or loads src=x: had one run, the console or the request
    // list would say so; the DOM shows the payloads as text.
    check_quiet(l, "file://" + page.string());
    CHECK(l.dom.find("<img") == std::string::npos);
    CHECK(l.dom.find("<script>console.error") == std::string::npos);
    CHECK(l.dom.find("&lt;/script&gt;&lt;script&gt;console.error(1)&lt;/script&gt;") != std::string::npos);
  }
}
