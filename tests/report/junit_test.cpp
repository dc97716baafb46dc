#include <pugixml.hpp>

#include "adapters/ingest/sniff.hpp"
#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"
#include "tests/report/streaming_fixture.hpp"

using namespace dg;


namespace {
std::string xsd() { return test::corpus("schemas/JUnit.xsd").string(); }

std::string xmllint_schema(const test::fs::path& file) {
  if (!test::need_program("xmllint")) return "";
  auto r = test::run_process({"xmllint", "--noout", "--nonet", "--schema", xsd(), file.string()});
  return r.code == 0 ? std::string() : r.err + r.out;
}
}  // namespace

TEST_SUITE("report.junit") {
  TEST_CASE("mixed run matches the golden file") {
    test::check_golden("mixed.junit.xml", report::write_junit(test::mixed_run()));
  }

  TEST_CASE("one suite per step and one testcase per rule with the right counts") {
    auto xml = report::write_junit(test::mixed_run());
    pugi::xml_document doc;
    REQUIRE(doc.load_string(xml.c_str()));
    auto suites = doc.child("testsuites");
    std::map<std::string, pugi::xml_node> by;
    for (auto s : suites.children("testsuite")) by[s.attribute("name").value()] = s;
    REQUIRE(by.size() == 6);
    auto lint = by["lint"];
    // DL3007 (high: fails), DL3008 (two mediums below fail-on high: skipped), DL3059 (waived: skipped)
    CHECK(lint.attribute("tests").as_int() == 3);
    CHECK(lint.attribute("failures").as_int() == 1);
    CHECK(lint.attribute("skipped").as_int() == 2);
    auto dl3059 = lint.find_child_by_attribute("testcase", "name", "DL3059");
    REQUIRE(dl3059);
    CHECK(!dl3059.child("failure"));
    CHECK(std::string(dl3059.child("skipped").attribute("message").value()) ==
          "1 finding reported, not counted: 1 waived");
    CHECK(std::string(lint.child("system-out").text().get()).find("DL3059: waived") != std::string::npos);
    auto dl3008 = lint.find_child_by_attribute("testcase", "name", "DL3008");
    CHECK(!dl3008.child("failure"));
    CHECK(std::string(dl3008.child("skipped").attribute("message").value()) ==
          "2 findings reported, not counted: 2 below-threshold");
    CHECK(std::string(lint.child("system-out").text().get()).find("Dockerfile:11") != std::string::npos);
    auto trivy = by["trivy"];
    auto cve = trivy.find_child_by_attribute("testcase", "name", "CVE-2023-0286");
    std::string text = cve.child("failure").text().get();
    CHECK(text.find("libssl3 3.0.7-1 \xE2\x86\x92 3.0.8-1") != std::string::npos);
    CHECK(text.find("https://avd.aquasec.com/nvd/cve-2023-0286") != std::string::npos);
    CHECK(xml.find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);  // secrets never copied
    CHECK(by["grype"].attribute("errors").as_int() == 1);
    CHECK(by["grype"].child("testcase").child("error"));
    CHECK(by["bandit"].attribute("failures").as_int() == 0);  // a passing step's low findings do not fail
    auto smoke = by["smoke-test"].child("testcase");
    CHECK(std::string(smoke.child("failure").text().get()).find("database at db:5432 unreachable") != std::string::npos);
    CHECK(by["image-size"].attribute("failures").as_int() == 1);
    CHECK(std::string(by["trivy"].attribute("time").value()) == "8.120");
  }

  TEST_CASE("valid against the JUnit XSD with xmllint") {
    test::TempDir tmp;
    test::write(tmp / "mixed.xml", report::write_junit(test::mixed_run()));
    CHECK(xmllint_schema(tmp / "mixed.xml") == "");
    // A real report through the parser, and a run where every step passes or is skipped.
    auto parsed = ingest::parse_report(test::corpus("hadolint/dd-one_dockerfile.json"));
    REQUIRE(parsed);
    model::Run run;
    run.started_at = "2026-11-23T15:00:00Z";
    run.steps = parsed->steps;
    model::StepResult skipped;
    skipped.name = "grype";
    skipped.tool = "grype";
    skipped.status = model::StepStatus::Skipped;
    run.steps.push_back(skipped);
    model::StepResult clean;
    clean.name = "bandit";
    clean.tool = "bandit";
    run.steps.push_back(clean);
    auto xml = report::write_junit(run);
    test::write(tmp / "real.xml", xml);
    CHECK(xmllint_schema(tmp / "real.xml") == "");
    pugi::xml_document doc;
    REQUIRE(doc.load_string(xml.c_str()));
    auto g = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "grype");
    CHECK(g.attribute("skipped").as_int() == 1);
    CHECK(g.child("testcase").child("skipped"));
    auto b = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "bandit");
    CHECK(b.attribute("tests").as_int() == 1);  // a clean step is one passing testcase
    CHECK(b.attribute("failures").as_int() == 0);
    // hadolint: 4 findings (independent count with jq) over however many rules
    if (!test::need_program("jq")) return;
    auto jq = test::run_process({"jq", "[.[].code] | unique | length", test::corpus("hadolint/dd-one_dockerfile.json").string()});
    REQUIRE(jq.code == 0);
    auto lint = doc.child("testsuites").find_child_by_attribute("testsuite", "name", "lint");
    CHECK(lint.attribute("tests").as_int() == std::stoi(jq.out));
  }

  TEST_CASE("characters XML 1.0 forbids are dropped") {
    auto run = test::mixed_run();
    auto& f = run.steps[0].findings[0];
    f.title = "bad\x01 bytes\x1b[31m and \xEF\xBF\xBE nonchar and \xFF invalid";
    f.rule_id = "DL\x02" "3008";
    auto xml = report::write_junit(run);
    CHECK(xml.find('\x01') == std::string::npos);
    CHECK(xml.find('\x02') == std::string::npos);
    CHECK(xml.find('\x1b') == std::string::npos);
    CHECK(xml.find("\xEF\xBF\xBE") == std::string::npos);
    pugi::xml_document doc;
    CHECK(doc.load_string(xml.c_str()));
    test::TempDir tmp;
    test::write(tmp / "bad.xml", xml);
    CHECK(xmllint_schema(tmp / "bad.xml") == "");
  }

  TEST_CASE("mergeable by junit-report-merger") {
    auto jrm = test::node_tool("jrm");
    if (!test::need(!jrm.empty(), "junit-report-merger")) return;
    test::TempDir tmp;
    auto a = test::mixed_run();
    auto b = test::mixed_run();
    b.steps.resize(2);
    test::write(tmp / "a.xml", report::write_junit(a));
    test::write(tmp / "b.xml", report::write_junit(b));
    auto r = test::run_process({jrm, (tmp / "merged.xml").string(), (tmp / "a.xml").string(), (tmp / "b.xml").string()});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("2 files processed") != std::string::npos);
    pugi::xml_document doc;
    REQUIRE(doc.load_file((tmp / "merged.xml").c_str()));
    auto root = doc.child("testsuites");
    // jrm folds suites of the same name into one and sums their counts
    CHECK(std::distance(root.children("testsuite").begin(), root.children("testsuite").end()) == 6);
    auto lint = root.find_child_by_attribute("testsuite", "name", "lint");
    CHECK(lint.attribute("tests").as_int() == 6);
    CHECK(lint.attribute("failures").as_int() == 2);
    int failures = 0, tests = 0;
    for (auto s : root.children("testsuite")) {
      failures += s.attribute("failures").as_int();
      tests += s.attribute("tests").as_int();
    }
    CHECK(root.attribute("tests").as_int() == tests);
    CHECK(root.attribute("failures").as_int() == failures);
    if (test::need_program("xmllint"))
      CHECK(test::run_process({"xmllint", "--noout", (tmp / "merged.xml").string()}).code == 0);
  }

  TEST_CASE("JUnit written to a sink in pieces of about 1 MiB makes the same text") {
    auto run = test::big_run();
    test::Pieces sink;
    report::write_junit(run, sink);
    std::string joined = sink.joined();
    CHECK(sink.all.size() > 2);
    CHECK(joined == report::write_junit(run));
  }
}
