// Issue 12: the verdict's reasons name unknown severities as such, most severe first, with right
// plurals and thousands separators; every finding says whether it gated and why not.
#include "src/policy/policy.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;

namespace {
model::Run trivy_with(const std::map<Severity, int>& counts) {
  std::vector<model::Finding> fs;
  int n = 0;
  for (auto& [sev, c] : counts)
    for (int i = 0; i < c; ++i) fs.push_back(pt::vuln("trivy", "CVE-2024-" + std::to_string(++n), "p", "1", sev));
  return pt::run_of({pt::step("trivy", std::move(fs))});
}
}  // namespace

TEST_SUITE("policy.verdict_reasons") {
  TEST_CASE("unknown severity is named and reasons go most severe first") {
    auto run = trivy_with({{Severity::High, 5738}, {Severity::Critical, 1180}, {Severity::Unknown, 4538}});
    policy::Policy p;
    p.fail_on = Severity::High;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Fail);
    REQUIRE(run.reasons.size() == 3);
    CHECK(run.reasons[0] == "trivy: 1,180 critical findings at or above fail-on high");
    CHECK(run.reasons[1] == "trivy: 5,738 high findings at or above fail-on high");
    CHECK(run.reasons[2] == "trivy: 4,538 unknown severity — counted as failing; set `unknown-as:`");
  }

  TEST_CASE("a real trivy report with unknown severities names them") {
    // golden-gomod.json: 1 medium and 4 unknown (independently counted in tests/data/corpus).
    auto r = test::cli({"gate", test::corpus("trivy/golden-gomod.json").string(), "--fail-on", "medium"});
    CHECK(r.code == 1);
    CHECK_MESSAGE(r.err.find("trivy: 1 medium finding at or above fail-on medium\n") != std::string::npos, r.err);
    CHECK(r.err.find("trivy: 4 unknown severity \xE2\x80\x94 counted as failing; set `unknown-as:`") != std::string::npos);
    CHECK(r.err.find("4 high findings") == std::string::npos);
    // the known severity first: an unknown one is listed after them
    CHECK(r.err.find("1 medium finding") < r.err.find("4 unknown severity"));  // what it said before: unknown passed off as high
  }

  TEST_CASE("one finding is singular") {
    auto run = trivy_with({{Severity::High, 1}});
    policy::evaluate(run, policy::Policy{});
    REQUIRE(run.reasons.size() == 1);
    CHECK(run.reasons[0] == "trivy: 1 high finding at or above fail-on high");
  }

  TEST_CASE("a max allowance names its unknown findings") {
    auto run = trivy_with({{Severity::High, 2}, {Severity::Unknown, 1}});
    policy::Policy p;
    p.max[Severity::High] = 2;
    policy::evaluate(run, p);
    REQUIRE(run.reasons.size() == 1);
    CHECK(run.reasons[0] ==
          "trivy: 3 high findings (1 of them unknown severity — counted as failing; set `unknown-as:`), at most 2 allowed");
  }

  TEST_CASE("every finding says whether it gated and why not") {
    std::vector<model::Finding> fs;
    for (int i = 1; i <= 4; ++i) fs.push_back(pt::vuln("trivy", "CVE-2024-" + std::to_string(i), "p", "1", Severity::Critical));
    fs.push_back(pt::vuln("trivy", "CVE-2024-5", "p", "1", Severity::Low));
    auto run = pt::run_of({pt::step("trivy", std::move(fs))});
    auto& f = run.steps[0].findings;
    f[0].waiver = model::Waiver{"CVE-2024-1", "accepted", "", "", ""};
    f[1].package.fixed_version.clear();
    f[2].baseline = model::BaselineState::Unchanged;
    f[3].baseline = model::BaselineState::New;
    policy::Policy p;
    p.ignore_unfixed = true;
    p.new_only = true;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Fail);
    CHECK_FALSE(f[0].gating);
    CHECK(f[0].why_not == "waived");
    CHECK_FALSE(f[1].gating);
    CHECK(f[1].why_not == "unfixed");
    CHECK_FALSE(f[2].gating);
    CHECK(f[2].why_not == "not-new");
    CHECK(f[3].gating);
    CHECK(f[3].why_not.empty());
    CHECK_FALSE(f[4].gating);
    CHECK(f[4].why_not == "below-threshold");
  }

  TEST_CASE("findings within a max allowance do not gate") {
    auto run = trivy_with({{Severity::High, 2}});
    policy::Policy p;
    p.max[Severity::High] = 2;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);
    CHECK_FALSE(run.steps[0].findings[0].gating);
    CHECK(run.steps[0].findings[0].why_not == "below-threshold");
  }
}
