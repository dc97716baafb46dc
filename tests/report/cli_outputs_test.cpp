// End to end: every output flag of `gate` over a real report.
#include <regex>

#include <nlohmann/json.hpp>

#include "tests/report/fixture.hpp"

using namespace dg;

namespace {
std::string report_path() { return test::corpus("hadolint/dd-one_dockerfile.json").string(); }
// What differs between two runs of the same gate: the clock.
std::string without_times(const std::string& text) {
  static const std::regex times(R"re(("(started|finished)_at":"[^"]*")|((timestamp|time)="[^"]*"))re");
  return std::regex_replace(text, times, "");
}

}  // namespace

TEST_SUITE("report.cli") {
  TEST_CASE("outputs on stdout are the same text as in their files when they are many pieces long") {
    // A real report's results many times over: each output is several of the 1 MiB pieces the
    // writers hand on, which go to stdout as they come.
    auto base = nlohmann::json::parse(test::read(test::corpus("trivy/dd-issue_9333.json")));
    auto results = base["Results"];
    base["Results"] = nlohmann::json::array();
    for (int i = 0; i < 200; ++i)
      for (auto r : results) {
        r["Target"] = r["Target"].get<std::string>() + " #" + std::to_string(i);
        base["Results"].push_back(r);
      }
    test::TempDir tmp;
    test::write(tmp / "big.json", base.dump());
    // JUnit writes a testcase per rule and package, not per target: one piece here.
    using Case = std::pair<std::string, std::size_t>;  // flag, pieces of 1 MiB at least
    for (auto [flag, pieces] : {Case{"--json", 2}, Case{"--codequality", 2}, Case{"--junit", 1}}) {
      CAPTURE(flag);
      // Every finding fails the gate, so JUnit writes a failing testcase for each.
      auto piped = test::cli({"gate", (tmp / "big.json").string(), flag, "-", "-q", "--fail-on", "low"});
      REQUIRE_MESSAGE(piped.code == 1, piped.err);
      auto file = tmp / ("out" + flag);
      auto written = test::cli({"gate", (tmp / "big.json").string(), flag, file.string(), "-q", "--fail-on", "low"});
      REQUIRE_MESSAGE(written.code == 1, written.err);
      CHECK(piped.out.size() > (pieces - 1) * (std::size_t{1} << 20));
      CHECK(without_times(piped.out) == without_times(test::read(file)));
    }
  }

  TEST_CASE("gate --junit - writes valid JUnit on stdout") {
    auto r = test::cli({"gate", report_path(), "--junit", "-", "-q", "--fail-on", "critical"});
    CHECK_MESSAGE(r.code == 0, r.err);
    REQUIRE(r.out.starts_with("<?xml"));
    test::TempDir tmp;
    test::write(tmp / "j.xml", r.out);
    if (!test::need_program("xmllint")) return;
    auto v = test::run_process({"xmllint", "--noout", "--schema", test::corpus("schemas/JUnit.xsd").string(),
                                (tmp / "j.xml").string()});
    CHECK_MESSAGE(v.code == 0, v.err);
  }

  TEST_CASE("gate --sarif FILE writes valid SARIF") {
    test::TempDir tmp;
    auto r = test::cli({"gate", report_path(), "--sarif", (tmp / "out.sarif").string(), "-q", "--fail-on", "critical"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(test::validate_json_schema(test::corpus("schemas/sarif-schema-2.1.0.json"), tmp / "out.sarif") == "");
    auto j = nlohmann::json::parse(test::read(tmp / "out.sarif"));
    CHECK(j["runs"][0]["results"].size() == 4);
  }

  TEST_CASE("gate --codequality - writes valid Code Quality on stdout") {
    auto r = test::cli({"gate", report_path(), "--codequality", "-", "-q", "--fail-on", "critical"});
    CHECK(r.code == 0);
    test::TempDir tmp;
    test::write(tmp / "cq.json", r.out);
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/gitlab-codequality.schema.json", tmp / "cq.json") == "");
  }

  TEST_CASE("gate --markdown - and --annotations") {
    auto r = test::cli({"gate", report_path(), "--markdown", "-", "-q", "--fail-on", "low"});
    CHECK(r.code == 1);
    CHECK(r.out.starts_with("<!-- dockgate:default -->"));
    CHECK(r.out.find("dockgate: fail") != std::string::npos);
    auto a = test::cli({"gate", report_path(), "--annotations", "-q", "--fail-on", "low"});
    CHECK(a.code == 1);
    // --fail-on low: every finding counts, so every annotation is an error (issue 12: only
    // findings that gate are errors)
    CHECK(a.out.find("::error file=") != std::string::npos);
    CHECK(a.out.find("::warning ") == std::string::npos);
  }

  TEST_CASE("gate --summary appends the Markdown without marker to GITHUB_STEP_SUMMARY") {
    test::TempDir tmp;
    auto summary = tmp / "summary.md";
    test::write(summary, "earlier step\n");
    auto r = test::cli({"gate", report_path(), "--summary", "-q", "--fail-on", "critical"},
                       {{"GITHUB_STEP_SUMMARY", summary.string()}});
    CHECK(r.code == 0);
    auto text = test::read(summary);
    CHECK(text.starts_with("earlier step\n### "));
    CHECK(text.find("<!-- dockgate") == std::string::npos);
  }

  TEST_CASE("console summary on stderr") {
    auto r = test::cli({"gate", report_path(), "--fail-on", "low", "--color", "never"});
    CHECK(r.code == 1);
    CHECK(r.err.find("STEP") != std::string::npos);
    CHECK(r.err.find("verdict: fail") != std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
  }
}
