// policy::gate applies the --kev / --epss feed (GateInputs::risk_feed) before the thresholds.
#include "src/policy/gate.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;

using pt::kev;

TEST_SUITE("policy.risk.gate") {
  TEST_CASE("gate applies the feed before the policy") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-2022-22965", "spring-beans", "5.3.15", Severity::Low)})});
    policy::GateInputs in;
    in.policy.fail_on_kev = true;
    in.risk_feed["CVE-2022-22965"] = kev("2022-04-04");
    policy::gate(run, in);
    CHECK(run.verdict == model::Verdict::Fail);
    REQUIRE_FALSE(run.reasons.empty());
    CHECK(run.reasons[0] == "trivy: CVE-2022-22965 is known exploited (KEV, added 2022-04-04)");
  }
}
