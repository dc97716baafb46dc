// Issue 12: findings the policy does not count must not look like failures in any output. A real
// grype report whose criticals have no fix, gated with --ignore-unfixed: the verdict passes, and
// JUnit, annotations, Code Quality and the JSON all say the findings are reported, not counted.
#include <pugixml.hpp>

#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("report.gating_views") {
  TEST_CASE("unfixed criticals under ignore-unfixed are not failures anywhere") {
    test::TempDir tmp;
    auto report = test::corpus("grype/dd-same_cve_different_paths.json").string();
    auto r = test::cli({"gate", report, "--ignore-unfixed", "--json", (tmp / "r.json").string(), "--junit",
                        (tmp / "r.xml").string(), "--codequality", (tmp / "cq.json").string(), "--annotations"});
    CHECK_MESSAGE(r.code == 0, r.err);

    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    REQUIRE(j["steps"][0]["findings"].size() == 2);
    for (auto& f : j["steps"][0]["findings"]) {
      CHECK(f["severity"] == "critical");
      CHECK(f["gating"] == false);
      CHECK(f["why_not"] == "unfixed");
    }
    CHECK(j["summary"]["gating"] == 0);
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json", tmp / "r.json") == "");

    pugi::xml_document doc;
    REQUIRE(doc.load_file((tmp / "r.xml").c_str()));
    auto suite = doc.child("testsuites").child("testsuite");
    CHECK(suite.attribute("failures").as_int() == 0);
    CHECK(suite.attribute("skipped").as_int() == 1);  // one rule, reported but not counted
    auto skipped = suite.child("testcase").child("skipped");
    REQUIRE(skipped);
    CHECK(std::string(skipped.attribute("message").value()).find("2 unfixed") != std::string::npos);

    CHECK(r.out.find("::error") == std::string::npos);
    CHECK_MESSAGE(r.out.find("::warning ") != std::string::npos, r.out);
    CHECK(r.out.find("not counted by the policy: unfixed") != std::string::npos);

    auto cq = nlohmann::json::parse(test::read(tmp / "cq.json"));
    REQUIRE(cq.size() == 2);
    for (auto& i : cq) {
      CHECK(i["severity"] == "minor");
      CHECK(i["description"].get<std::string>().find("not counted: unfixed") != std::string::npos);
    }
  }

  TEST_CASE("the same report without ignore-unfixed fails everywhere") {
    test::TempDir tmp;
    auto report = test::corpus("grype/dd-same_cve_different_paths.json").string();
    auto r = test::cli({"gate", report, "--json", (tmp / "r.json").string(), "--junit", (tmp / "r.xml").string(),
                        "--codequality", (tmp / "cq.json").string(), "--annotations"});
    CHECK(r.code == 1);
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    CHECK(j["summary"]["gating"] == 2);
    pugi::xml_document doc;
    REQUIRE(doc.load_file((tmp / "r.xml").c_str()));
    CHECK(doc.child("testsuites").child("testsuite").attribute("failures").as_int() == 1);
    CHECK(r.out.find("::error ") != std::string::npos);
    for (auto& i : nlohmann::json::parse(test::read(tmp / "cq.json"))) CHECK(i["severity"] == "blocker");
  }
}
