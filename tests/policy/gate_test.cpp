#include "src/policy/gate.hpp"

#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;

TEST_SUITE("policy.gate") {
  TEST_CASE("dedup then waivers then baseline then thresholds") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1", Severity::High)}),
                             pt::step("grype", {pt::vuln("grype", "CVE-1", "p", "1", Severity::Critical),
                                                  pt::vuln("grype", "CVE-2", "q", "1", Severity::Critical)})});
    policy::GateInputs in;
    in.today = "2026-11-23";
    policy::WaiverRule w;
    w.id = "CVE-2";
    w.reason = "not reachable";
    in.waivers = {w};
    policy::gate(run, in);
    CHECK(run.merged_duplicates == 1);
    CHECK(run.steps[0].findings[0].severity == Severity::Critical);
    CHECK(run.steps[1].findings[0].waiver);
    CHECK(run.verdict == model::Verdict::Fail);
    CHECK(run.steps[0].status == model::StepStatus::Failed);
    CHECK(run.steps[1].status == model::StepStatus::Passed);
  }

  TEST_CASE("strict-waivers turns a stale waiver into a failure") {
    policy::GateInputs in;
    in.today = "2026-11-23";
    policy::WaiverRule w;
    w.rule = "DL3008";
    w.reason = "legacy";
    w.source = ".dockgate-waivers.yml:3";
    in.waivers = {w};
    auto run = pt::run_of({pt::step("trivy", {})});
    policy::gate(run, in);
    CHECK(run.verdict == model::Verdict::Pass);
    REQUIRE(run.waiver_notices.size() == 1);
    in.strict_waivers = true;
    policy::gate(run, in);
    CHECK(run.verdict == model::Verdict::Fail);
    CHECK(run.reasons.back() == "waivers: DL3008 (.dockgate-waivers.yml:3) matches no finding (strict-waivers)");
  }

  TEST_CASE("new-only with a baseline gates only on new findings") {
    auto before = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1", Severity::Critical)})});
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1", Severity::Critical),
                                                  pt::vuln("trivy", "CVE-2", "p", "1", Severity::Low)})});
    policy::GateInputs in;
    in.baseline = &before;
    in.policy.new_only = true;
    policy::gate(run, in);
    CHECK(run.verdict == model::Verdict::Pass);
    in.policy.new_only = false;
    policy::gate(run, in);
    CHECK(run.verdict == model::Verdict::Fail);
  }

  TEST_CASE("gating twice gives the same result") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1")}),
                             pt::step("grype", {pt::vuln("grype", "CVE-1", "p", "1")})});
    policy::GateInputs in;
    policy::gate(run, in);
    auto once = run.steps[0].findings;
    policy::gate(run, in);
    CHECK(run.merged_duplicates == 1);
    CHECK(run.steps[0].findings.size() == once.size());
    CHECK(run.steps[0].findings[0].fingerprint == once[0].fingerprint);
  }

  TEST_CASE("dedup can be turned off") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1")}),
                             pt::step("grype", {pt::vuln("grype", "CVE-1", "p", "1")})});
    policy::GateInputs in;
    in.policy.dedup = false;
    policy::gate(run, in);
    CHECK(run.merged_duplicates == 0);
    CHECK(run.steps[1].findings.size() == 1);
  }
}
