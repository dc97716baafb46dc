// Issue 12: one vulnerability is one identity whatever tools and aliases report it; findings of a
// step that errored or did not run are unknown, never fixed.
#include "src/model/fingerprint.hpp"
#include "src/policy/baseline.hpp"
#include "src/policy/gate.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::BaselineState;
using model::Severity;

namespace {

// requests 2.28.1 as the two scanners report it: grype says GHSA with the CVE as related id and
// an absolute package path, trivy says CVE with a relative one.
model::Finding grype_requests(std::vector<std::string> aliases = {"CVE-2023-32681"}) {
  auto f = pt::vuln("grype", "GHSA-j8r2-6x86-q33q", "requests", "2.28.1", Severity::Medium, "2.31.0", std::move(aliases));
  f.package.path = "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA";
  return f;
}
model::Finding trivy_requests() {
  auto f = pt::vuln("trivy", "CVE-2023-32681", "requests", "2.28.1", Severity::Medium, "2.31.0");
  f.package.path = "usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA";
  return f;
}

model::Run gated_baseline(model::Run before) {
  policy::GateInputs in;
  policy::gate(before, in);
  return before;
}

}  // namespace

TEST_SUITE("policy.baseline_identity") {
  TEST_CASE("a vulnerability grype alone saw before and trivy and grype see now is unchanged") {
    auto before = gated_baseline(pt::run_of({pt::step("grype", {grype_requests()})}));
    auto run = pt::run_of({pt::step("trivy", {trivy_requests()}), pt::step("grype", {grype_requests()})});
    policy::GateInputs in;
    in.baseline = &before;
    in.policy.new_only = true;
    in.policy.fail_on = Severity::Medium;
    policy::gate(run, in);
    CHECK(run.merged_duplicates == 1);
    REQUIRE(run.steps[0].findings.size() == 1);
    CHECK(run.steps[0].findings[0].baseline == BaselineState::Unchanged);
    CHECK(run.fixed.empty());
    CHECK(run.verdict == model::Verdict::Pass);
  }

  TEST_CASE("a shared alias matches when the canonical ids differ") {
    // The baseline's grype (an older database) listed no CVE for the GHSA, so its canonical id
    // is the GHSA; now grype lists the CVE, and the merged finding is CVE with the GHSA as alias.
    auto before = gated_baseline(pt::run_of({pt::step("grype", {grype_requests({})})}));
    auto run = pt::run_of({pt::step("trivy", {trivy_requests()}), pt::step("grype", {grype_requests()})});
    policy::GateInputs in;
    in.baseline = &before;
    policy::gate(run, in);
    REQUIRE(run.steps[0].findings.size() == 1);
    CHECK(run.steps[0].findings[0].baseline == BaselineState::Unchanged);
    CHECK(run.fixed.empty());
  }

  TEST_CASE("the same id on another package version is new and the old one fixed") {
    auto before = gated_baseline(pt::run_of({pt::step("trivy", {trivy_requests()})}));
    auto now = trivy_requests();
    now.package.version = "2.30.0";
    auto run = pt::run_of({pt::step("trivy", {now})});
    auto out = policy::diff_baseline(run, before);
    CHECK(out.new_ == 1);
    CHECK(out.fixed == 1);
  }

  TEST_CASE("findings of a step that errored are unknown and never fixed") {
    auto base = pt::run_of({pt::step("grype", {pt::vuln("grype", "CVE-2024-1", "openssl", "3.0.1")})});
    auto run = pt::run_of({pt::step("grype", {})});
    run.steps[0].status = model::StepStatus::Error;
    run.steps[0].errors = {"grype failed with exit code 1"};
    auto out = policy::diff_baseline(run, base);
    CHECK(out.fixed == 0);
    CHECK(out.unknown == 1);
    CHECK(run.fixed.empty());
    CHECK(run.baseline_incomplete == std::vector<std::string>{"grype"});
    CHECK(run.baseline_unknown == 1);
  }

  TEST_CASE("findings of a step that did not run are unknown and never fixed") {
    auto base = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-2024-2", "zlib", "1.2")}),
                            pt::step("grype", {pt::vuln("grype", "CVE-2024-1", "openssl", "3.0.1")})});
    auto run = pt::run_of({pt::step("trivy", {})});
    auto out = policy::diff_baseline(run, base);
    CHECK(out.fixed == 1);  // trivy ran and no longer sees zlib
    REQUIRE(run.fixed.size() == 1);
    CHECK(run.fixed[0].rule_id == "CVE-2024-2");
    CHECK(out.unknown == 1);
    CHECK(run.baseline_incomplete == std::vector<std::string>{"grype"});
  }

  TEST_CASE("a merged finding is fixed only when every scanner that saw it ran") {
    auto before = gated_baseline(pt::run_of({pt::step("trivy", {trivy_requests()}), pt::step("grype", {grype_requests()})}));
    REQUIRE(before.steps[0].findings.size() == 1);  // trivy's, with grype among its sources
    auto run = pt::run_of({pt::step("trivy", {}), pt::step("grype", {})});
    run.steps[1].status = model::StepStatus::Error;
    auto out = policy::diff_baseline(run, before);
    CHECK(out.fixed == 0);
    CHECK(out.unknown == 1);
  }

  TEST_CASE("a new title or description does not change a fingerprint") {
    auto a = trivy_requests();
    auto b = a;
    b.title = "requests: Unintended leak of Proxy-Authorization header";
    b.message = "Requests is a HTTP library. Since 2.3.0 ... (new database text)";
    CHECK(model::fingerprint_base(a) == model::fingerprint_base(b));
    auto m = pt::lint("DS002", "Dockerfile", 3, Severity::High, "trivy");
    m.kind = model::Kind::Misconfiguration;
    auto n = m;
    n.title = "Image user should not be 'root'";
    n.message = "Specify at least 1 USER command in Dockerfile with non-root user as argument";
    CHECK(model::fingerprint_base(m) == model::fingerprint_base(n));
  }

  TEST_CASE("trivy's relative and grype's absolute package path give one fingerprint") {
    auto t = trivy_requests();
    auto g = grype_requests();
    CHECK(model::fingerprint_base(t) == model::fingerprint_base(g));
  }
}
