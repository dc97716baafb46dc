#include "src/policy/dedup.hpp"

#include <chrono>

#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;

TEST_SUITE("policy.dedup") {
  TEST_CASE("trivy and grype reporting the same CVE in the same package become one finding") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-2019-1549", "libssl1.1", "1.1.1c-r0")}),
                             pt::step("grype", {pt::vuln("grype", "CVE-2019-1549", "libssl1.1", "1.1.1c-r0")})});
    CHECK(policy::dedup(run) == 1);
    CHECK(run.merged_duplicates == 1);
    REQUIRE(run.steps[0].findings.size() == 1);
    CHECK(run.steps[1].findings.empty());
    auto& f = run.steps[0].findings[0];
    CHECK(f.sources == std::vector<std::string>{"trivy", "grype"});
    CHECK(run.steps[0].metrics["findings_merged"] == 1);
  }

  TEST_CASE("matching table: package name and version and any shared id") {
    struct Row {
      const char* name;
      model::Finding a, b;
      bool merged;
    };
    const Row rows[] = {
        {"same id", pt::vuln("trivy", "CVE-1", "p", "1"), pt::vuln("grype", "CVE-1", "p", "1"), true},
        {"id case differs", pt::vuln("trivy", "cve-1", "p", "1"), pt::vuln("grype", "CVE-1", "p", "1"), true},
        {"GHSA with CVE alias", pt::vuln("trivy", "CVE-2019-14806", "Werkzeug", "0.11"),
         pt::vuln("grype", "GHSA-gq9m-qvpx-68hc", "Werkzeug", "0.11", Severity::High, "0.15.3", {"CVE-2019-14806"}), true},
        {"alias on both sides only", pt::vuln("trivy", "DLA-1", "p", "1", Severity::High, "2", {"CVE-9"}),
         pt::vuln("grype", "GHSA-x", "p", "1", Severity::High, "2", {"CVE-9"}), true},
        {"python name case", pt::vuln("trivy", "CVE-1", "Werkzeug", "1"), pt::vuln("grype", "CVE-1", "werkzeug", "1"), true},
        {"other version", pt::vuln("trivy", "CVE-1", "p", "1"), pt::vuln("grype", "CVE-1", "p", "2"), false},
        {"other package", pt::vuln("trivy", "CVE-1", "p", "1"), pt::vuln("grype", "CVE-1", "q", "1"), false},
        {"other id", pt::vuln("trivy", "CVE-1", "p", "1"), pt::vuln("grype", "CVE-2", "p", "1"), false},
        {"same tool twice", pt::vuln("grype", "CVE-1", "p", "1"), pt::vuln("grype", "CVE-1", "p", "1"), false},
    };
    for (auto& row : rows) {
      CAPTURE(row.name);
      auto run = pt::run_of({pt::step("trivy", {row.a}), pt::step("grype", {row.b})});
      CHECK(policy::dedup(run) == (row.merged ? 1u : 0u));
      CHECK(run.steps[0].findings.size() + run.steps[1].findings.size() == (row.merged ? 1u : 2u));
    }
  }

  TEST_CASE("severity disagreement keeps the higher and records both") {
    auto a = pt::vuln("trivy", "CVE-1", "p", "1", Severity::High);
    a.tool_severity = "HIGH";
    auto b = pt::vuln("grype", "CVE-1", "p", "1", Severity::Critical);
    b.tool_severity = "Critical";
    auto run = pt::run_of({pt::step("trivy", {a}), pt::step("grype", {b})});
    REQUIRE(policy::dedup(run) == 1);
    auto& f = run.steps[0].findings[0];
    CHECK(f.severity == Severity::Critical);
    CHECK(f.tool_severity == "Critical");
    CHECK(f.source_severities == std::vector<std::string>{"trivy:high", "grype:critical"});
  }

  TEST_CASE("a known severity wins over unknown") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1", Severity::Unknown)}),
                             pt::step("grype", {pt::vuln("grype", "CVE-1", "p", "1", Severity::Low)})});
    policy::dedup(run);
    CHECK(run.steps[0].findings[0].severity == Severity::Low);
  }

  TEST_CASE("the merged finding keeps the first rule id and learns the other ids and the fix") {
    auto run = pt::run_of(
        {pt::step("trivy", {pt::vuln("trivy", "CVE-2019-14806", "Werkzeug", "0.11", Severity::High, "")}),
         pt::step("grype", {pt::vuln("grype", "GHSA-gq9m-qvpx-68hc", "Werkzeug", "0.11", Severity::High, "0.15.3",
                                         {"CVE-2019-14806"})})});
    policy::dedup(run);
    auto& f = run.steps[0].findings[0];
    CHECK(f.rule_id == "CVE-2019-14806");
    CHECK(f.aliases == std::vector<std::string>{"GHSA-gq9m-qvpx-68hc"});
    CHECK(f.package.fixed_version == "0.15.3");
  }

  TEST_CASE("the same CVE at two paths pairs path with path") {
    auto t1 = pt::vuln("trivy", "CVE-1", "log4j", "2.14");
    t1.package.path = "app/a.jar";
    auto t2 = t1;
    t2.package.path = "app/b.jar";
    auto g1 = pt::vuln("grype", "CVE-1", "log4j", "2.14");
    g1.package.path = "/app/b.jar";
    auto g2 = g1;
    g2.package.path = "/app/a.jar";
    auto run = pt::run_of({pt::step("trivy", {t1, t2}), pt::step("grype", {g1, g2})});
    CHECK(policy::dedup(run) == 2);
    REQUIRE(run.steps[0].findings.size() == 2);
    for (auto& f : run.steps[0].findings) CHECK(f.sources.size() == 2);
  }

  TEST_CASE("non-vulnerabilities of two external tools are never merged") {
    auto run = pt::run_of({pt::step("lint", {pt::lint("DL3008", "Dockerfile", 3)}),
                             pt::step("trivy", {pt::lint("DL3008", "Dockerfile", 3, Severity::Medium, "trivy")})});
    CHECK(policy::dedup(run) == 0);
  }

  TEST_CASE("a third scanner joins an already merged finding") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1")}),
                             pt::step("grype", {pt::vuln("grype", "GHSA-1", "p", "1", Severity::High, "2", {"CVE-1"})}),
                             pt::step("osv", {pt::vuln("osv", "GHSA-1", "p", "1")})});
    CHECK(policy::dedup(run) == 2);
    CHECK(run.steps[0].findings[0].sources == std::vector<std::string>{"trivy", "grype", "osv"});
  }

  TEST_CASE("dedup is linear: 20000 pairs merge fast") {
    std::vector<model::Finding> a, b;
    for (int i = 0; i < 20000; ++i) {
      a.push_back(pt::vuln("trivy", "CVE-" + std::to_string(i), "p" + std::to_string(i % 500), "1"));
      b.push_back(pt::vuln("grype", "CVE-" + std::to_string(i), "p" + std::to_string(i % 500), "1"));
    }
    auto run = pt::run_of({pt::step("trivy", std::move(a)), pt::step("grype", std::move(b))});
    auto t0 = std::chrono::steady_clock::now();
    CHECK(policy::dedup(run) == 20000);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(10));
  }
}
