#include "src/policy/baseline.hpp"

#include "src/model/fingerprint.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::BaselineState;

TEST_SUITE("policy.baseline") {
  TEST_CASE("moved lines are unchanged and gone findings are fixed") {
    auto before = pt::run_of({pt::step("lint", {pt::lint("DL3008", "Dockerfile", 3), pt::lint("DL3009", "Dockerfile", 4),
                                                    pt::lint("DL3015", "Dockerfile", 9)})});
    for (auto& s : before.steps) model::assign_fingerprints(s.findings);
    // Two lines were added at the top: every line moved; DL3009 was fixed; DL4000 is new.
    auto now = pt::run_of({pt::step("lint", {pt::lint("DL3008", "Dockerfile", 5), pt::lint("DL3015", "Dockerfile", 11),
                                                 pt::lint("DL4000", "Dockerfile", 1)})});
    auto out = policy::diff_baseline(now, before);
    CHECK(out.unchanged == 2);
    CHECK(out.new_ == 1);
    CHECK(out.fixed == 1);
    auto& f = now.steps[0].findings;
    CHECK(f[0].baseline == BaselineState::Unchanged);
    CHECK(f[1].baseline == BaselineState::Unchanged);
    CHECK(f[2].baseline == BaselineState::New);
    REQUIRE(now.fixed.size() == 1);
    CHECK(now.fixed[0].rule_id == "DL3009");
    CHECK(now.fixed[0].baseline == BaselineState::Fixed);
  }

  TEST_CASE("a baseline without fingerprints is fingerprinted first") {
    auto before = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1")})});
    auto now = pt::run_of({pt::step("grype", {pt::vuln("grype", "GHSA-1", "p", "1", model::Severity::High, "2", {"CVE-1"})})});
    auto out = policy::diff_baseline(now, before);
    // The same vulnerability seen by another scanner is not new: vulnerability fingerprints
    // use the canonical CVE.
    CHECK(out.unchanged == 1);
    CHECK(out.fixed == 0);
  }

  TEST_CASE("an empty baseline makes everything new") {
    auto now = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "p", "1"), pt::vuln("trivy", "CVE-2", "p", "1")})});
    auto out = policy::diff_baseline(now, model::Run{});
    CHECK(out.new_ == 2);
    CHECK(now.fixed.empty());
  }
}
