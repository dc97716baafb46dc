// Known-exploited and likelihood policy (issue 17): fail-on-kev, epss-threshold, the feed
// enrichment of findings from any scanner, and dedup keeping grype's risk data.
#include "src/model/risk.hpp"
#include "src/policy/dedup.hpp"
#include "src/policy/policy.hpp"
#include "src/policy/risk.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;
using pt::kev;

namespace {
model::Risk epss(double score, double pct = 0.5, std::string date = "2025-11-30") {
  model::Risk r;
  r.epss = score;
  r.epss_percentile = pct;
  r.epss_date = std::move(date);
  return r;
}
model::Finding with(model::Finding f, model::Risk r) {
  f.risk = std::move(r);
  return f;
}
}  // namespace

TEST_SUITE("policy.risk") {
  TEST_CASE("fail-on-kev fails a low KEV vulnerability with a reason naming it and its date") {
    auto run = pt::run_of({pt::step("trivy", {with(pt::vuln("trivy", "CVE-2024-1000", "p", "1", Severity::Low), kev("2024-05-01")),
                                              pt::vuln("trivy", "CVE-2024-1001", "q", "1", Severity::Low)})});
    policy::Policy p;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);  // off by default: severity alone decides
    p.fail_on_kev = true;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Fail);
    REQUIRE(run.reasons.size() == 1);
    CHECK(run.reasons[0] == "trivy: CVE-2024-1000 is known exploited (KEV, added 2024-05-01)");
    auto& fs = run.steps[0].findings;
    CHECK(fs[0].gating);
    CHECK(fs[0].why_not.empty());
    CHECK_FALSE(fs[1].gating);
    CHECK(fs[1].why_not == "below-threshold");
  }

  TEST_CASE("KEV reasons come before severity reasons and one CVE in two packages is one reason") {
    auto run = pt::run_of({pt::step("grype", {pt::vuln("grype", "CVE-2024-9", "z", "1", Severity::Critical),
                                              with(pt::vuln("grype", "CVE-2024-1", "a", "1", Severity::Medium), kev("")),
                                              with(pt::vuln("grype", "CVE-2024-1", "b", "1", Severity::Medium), kev(""))})});
    policy::Policy p;
    p.fail_on_kev = true;
    policy::evaluate(run, p);
    REQUIRE(run.reasons.size() == 2);
    CHECK(run.reasons[0] == "grype: CVE-2024-1 is known exploited (KEV)");
    CHECK(run.reasons[1] == "grype: 1 critical finding at or above fail-on high");
  }

  TEST_CASE("a waiver still applies to a KEV vulnerability") {
    auto f = with(pt::vuln("trivy", "CVE-2024-1000", "p", "1", Severity::Low), kev("2024-05-01"));
    f.waiver = model::Waiver{"CVE-2024-1000", "not reachable", "sec", "", ".dockgate-waivers.yml"};
    auto run = pt::run_of({pt::step("trivy", {f})});
    policy::Policy p;
    p.fail_on_kev = true;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);
    CHECK(run.steps[0].findings[0].why_not == "waived");
  }

  TEST_CASE("fail-on-kev per step: on for one step off for another") {
    auto run = pt::run_of({pt::step("trivy", {with(pt::vuln("trivy", "CVE-2024-1", "p", "1", Severity::Low), kev(""))}),
                           pt::step("grype", {with(pt::vuln("grype", "CVE-2024-2", "q", "1", Severity::Low), kev(""))})});
    policy::Policy p;
    p.fail_on_kev = true;
    p.steps["grype"].fail_on_kev = false;
    policy::evaluate(run, p);
    CHECK(run.steps[0].status == model::StepStatus::Failed);
    CHECK(run.steps[1].status == model::StepStatus::Passed);
  }

  TEST_CASE("below the EPSS threshold a vulnerability does not count and no score counts as before") {
    auto run = pt::run_of({pt::step("trivy", {with(pt::vuln("trivy", "CVE-2024-1", "a", "1", Severity::Critical), epss(0.02)),
                                              with(pt::vuln("trivy", "CVE-2024-2", "b", "1", Severity::High), epss(0.3)),
                                              pt::vuln("trivy", "CVE-2024-3", "c", "1", Severity::High),
                                              with(pt::vuln("trivy", "CVE-2024-4", "d", "1", Severity::Critical),
                                                   [] { auto r = epss(0.001); r.kev = true; return r; }())})});
    policy::Policy p;
    p.epss_threshold = 0.1;
    policy::evaluate(run, p);
    auto& fs = run.steps[0].findings;
    CHECK(fs[0].why_not == "below-epss-threshold");
    CHECK_FALSE(fs[0].gating);
    CHECK(fs[1].gating);
    CHECK(fs[2].gating);  // no EPSS data: unknown is not unlikely
    CHECK(fs[3].gating);  // known exploited: past estimating
    CHECK(run.reasons[0] == "trivy: 1 critical finding at or above fail-on high");
    CHECK(run.reasons[1] == "trivy: 2 high findings at or above fail-on high");
  }

  TEST_CASE("a per-step EPSS threshold overrides the global one") {
    auto run = pt::run_of({pt::step("trivy", {with(pt::vuln("trivy", "CVE-2024-1", "a", "1", Severity::Critical), epss(0.02))})});
    policy::Policy p;
    p.epss_threshold = 0.1;
    p.steps["trivy"].epss_threshold = 0.0;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Fail);
  }

  TEST_CASE("feeds enrich findings of any scanner by rule id or alias") {
    model::RiskFeed feed;
    feed["CVE-2022-22965"] = kev("2022-04-04");
    feed["CVE-2019-1549"] = epss(0.00338, 0.56);
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-2022-22965", "spring-beans", "5.3.15")}),
                           pt::step("osv", {pt::vuln("osv", "GHSA-xxxx-yyyy", "openssl", "1.1", Severity::Medium, "",
                                                     {"cve-2019-1549"})})});
    CHECK(policy::enrich(run, feed) == 2);
    CHECK(run.steps[0].findings[0].risk.kev);
    CHECK(run.steps[0].findings[0].risk.kev_added == "2022-04-04");
    CHECK(run.steps[1].findings[0].risk.epss == doctest::Approx(0.00338));
  }

  TEST_CASE("dedup keeps grype's EPSS and KEV when trivy reported the same CVE first") {
    auto t = pt::vuln("trivy", "CVE-2022-22965", "spring-beans", "5.3.15", Severity::Low);
    auto g = pt::vuln("grype", "CVE-2022-22965", "spring-beans", "5.3.15", Severity::Critical);
    g.risk = epss(0.94, 0.999);
    g.risk.kev = true;
    g.risk.kev_ransomware = "Unknown";
    g.risk.risk = 88.5;
    auto run = pt::run_of({pt::step("trivy", {t}), pt::step("grype", {g})});
    CHECK(policy::dedup(run) == 1);
    REQUIRE(run.steps[0].findings.size() == 1);
    auto& r = run.steps[0].findings[0].risk;
    CHECK(r.kev);
    CHECK(r.kev_ransomware == "Unknown");
    CHECK(r.epss == doctest::Approx(0.94));
    CHECK(r.epss_percentile == doctest::Approx(0.999));
    CHECK(r.risk == doctest::Approx(88.5));
  }

  TEST_CASE("merge_risk prefers the later EPSS date and a dated score over an undated one") {
    model::Risk grype = epss(0.08, 0.53, "");  // grype's zero date
    model::merge_risk(grype, epss(0.02, 0.40, "2025-11-30"));
    CHECK(grype.epss == doctest::Approx(0.02));
    CHECK(grype.epss_date == "2025-11-30");
    model::merge_risk(grype, epss(0.5, 0.9, "2025-10-01"));  // older: kept out
    CHECK(grype.epss == doctest::Approx(0.02));
    model::merge_risk(grype, epss(0.9, 0.99, ""));  // undated: kept out
    CHECK(grype.epss == doctest::Approx(0.02));
  }
}
