#include <map>
#include <tuple>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

using Key = std::tuple<std::string, std::string, std::string, std::string, int>;  // id, package, version, kind, severity

std::map<Key, int> keys(const model::StepResult& s) {
  std::map<Key, int> out;
  for (auto& f : s.findings)
    ++out[{f.rule_id, f.package.name, f.package.version, std::string(model::to_string(f.kind)),
           static_cast<int>(f.severity)}];
  return out;
}

// The corpus report through trivy's JUnit template, then through dockgate: the same findings as
// dockgate reads from the JSON itself (the template drops fixed versions, paths and layers).
void same_as_json(const std::string& corpus_file) {
  test::TempDir tmp;
  auto xml = tmp / "trivy-junit.xml";
  auto json = test::corpus(corpus_file);
  auto r = test::run_process({"/usr/bin/python3", test::data("ingest/render_trivy_junit.py").string(), json.string(),
                              xml.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  auto from_xml = ingest::parse_report(xml);
  auto from_json = ingest::parse_report(json);
  REQUIRE_MESSAGE(from_xml, (from_xml ? "" : from_xml.error().to_string()));
  REQUIRE(from_json);
  CHECK(from_xml->format == "trivy-junit");
  REQUIRE(from_xml->steps.size() == 1);
  CHECK(from_xml->steps[0].name == "trivy");
  CHECK(!from_xml->steps[0].findings.empty());
  CHECK(keys(from_xml->steps[0]) == keys(from_json->steps.at(0)));
}

}  // namespace

TEST_SUITE("ingest.trivy_junit") {
  TEST_CASE("trivy's JUnit template of an image scan gives the JSON report's vulnerabilities") {
    same_as_json("trivy/golden-alpine-310.json");
  }

  TEST_CASE("trivy's JUnit template of a config scan gives the failed checks only") {
    same_as_json("trivy/golden-dockerfile-misconfig.json");
  }

  TEST_CASE("package and version split at the dash before the version") {
    auto in = ingest::make_input("t.xml", R"X(<?xml version="1.0" ?>
<testsuites name="trivy">
    <testsuite tests="3" failures="3" name="app (debian 12.1)" errors="0" skipped="0" time="">
        <properties><property name="type" value="debian"></property></properties>
        <testcase classname="ca-certificates-20230311" name="[LOW] CVE-2023-1" time="">
            <failure message="t1" type="description">d1</failure></testcase>
        <testcase classname="golang.org/x/net-v0.7.0" name="[HIGH] CVE-2023-2" time="">
            <failure message="t2" type="description">d2</failure></testcase>
        <testcase classname="libc6-2.36-9+deb12u1" name="[CRITICAL] CVE-2023-3" time="">
            <failure message="t3" type="description">d3 &amp; more</failure></testcase>
    </testsuite>
</testsuites>)X");
    auto fmt = ingest::sniff(in);
    REQUIRE(fmt);
    CHECK(fmt->variant == "trivy-junit");
    auto r = ingest::parse_trivy_junit(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& fs = r->steps.at(0).findings;
    REQUIRE(fs.size() == 3);
    CHECK(fs[0].package.name == "ca-certificates");
    CHECK(fs[0].package.version == "20230311");
    CHECK(fs[0].package.type == "debian");
    CHECK(fs[1].package.name == "golang.org/x/net");
    CHECK(fs[1].package.version == "v0.7.0");
    CHECK(fs[2].package.name == "libc6");
    CHECK(fs[2].package.version == "2.36-9+deb12u1");
    CHECK(fs[2].severity == model::Severity::Critical);
    CHECK(fs[2].message == "d3 & more");
    CHECK(fs[2].location.target == "app (debian 12.1)");
  }

  TEST_CASE("malformed trivy JUnit is an input error with a position") {
    auto in = ingest::make_input("t.xml", "<?xml version=\"1.0\" ?>\n<testsuites name=\"trivy\">\n<testsuite name=\"x\">\n<testcase name=");
    auto r = ingest::parse_trivy_junit(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().line >= 4);
    // bandit's XML is still bandit's.
    auto bandit = ingest::make_input("b.xml", "<?xml version=\"1.0\" ?>\n<testsuite name=\"bandit\" tests=\"0\"></testsuite>");
    auto fmt = ingest::sniff(bandit);
    REQUIRE(fmt);
    CHECK(fmt->variant == "bandit-xml");
  }
}
