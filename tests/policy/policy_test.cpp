#include "src/policy/policy.hpp"

#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;

namespace {

model::Run one_step(const std::vector<Severity>& sevs, const std::string& name = "trivy") {
  std::vector<model::Finding> fs;
  fs.reserve(sevs.size());
  int i = 0;
  for (auto s : sevs) fs.push_back(pt::vuln(name, "CVE-" + std::to_string(++i), "p", "1", s));
  return pt::run_of({pt::step(name, std::move(fs))});
}

}  // namespace

TEST_SUITE("policy.thresholds") {
  TEST_CASE("fail-on table") {
    struct Row {
      std::vector<Severity> found;
      std::optional<Severity> fail_on;
      model::Verdict verdict;
    };
    const Row rows[] = {
        {{}, Severity::Info, model::Verdict::Pass},
        {{Severity::Medium}, Severity::High, model::Verdict::Pass},
        {{Severity::High}, Severity::High, model::Verdict::Fail},
        {{Severity::Critical}, Severity::High, model::Verdict::Fail},
        {{Severity::Low, Severity::Info}, Severity::Low, model::Verdict::Fail},
        {{Severity::Info}, Severity::Low, model::Verdict::Pass},
        {{Severity::Critical}, std::nullopt, model::Verdict::Pass},  // none
    };
    for (auto& row : rows) {
      CAPTURE(row.found.size());
      auto run = one_step(row.found);
      policy::Policy p;
      p.fail_on = row.fail_on;
      policy::evaluate(run, p);
      CHECK(run.verdict == row.verdict);
      CHECK(run.steps[0].status == (row.verdict == model::Verdict::Fail ? model::StepStatus::Failed
                                                                         : model::StepStatus::Passed));
      CHECK_FALSE(run.reasons.empty());
    }
  }

  TEST_CASE("max counts override fail-on for their severity") {
    policy::Policy p;
    p.fail_on = Severity::Medium;
    p.max = {{Severity::Medium, 2}};
    auto two = one_step({Severity::Medium, Severity::Medium});
    policy::evaluate(two, p);
    CHECK(two.verdict == model::Verdict::Pass);
    auto three = one_step({Severity::Medium, Severity::Medium, Severity::Medium});
    policy::evaluate(three, p);
    CHECK(three.verdict == model::Verdict::Fail);
    CHECK(three.reasons[0] == "trivy: 3 medium findings, at most 2 allowed");
    p.max = {{Severity::Critical, 0}};
    p.fail_on = std::nullopt;
    auto crit = one_step({Severity::Critical});
    policy::evaluate(crit, p);
    CHECK(crit.verdict == model::Verdict::Fail);
  }

  TEST_CASE("per-step override of fail-on and max") {
    policy::Policy p;
    p.fail_on = Severity::High;
    policy::StepPolicy bandit;
    bandit.has_fail_on = true;
    bandit.fail_on = Severity::Medium;
    p.steps["bandit"] = bandit;
    auto run = pt::run_of({pt::step("bandit", {pt::lint("B105", "app.py", 3, Severity::Medium, "bandit")}),
                             pt::step("lint", {pt::lint("DL3008", "Dockerfile", 3, Severity::Medium)})});
    policy::evaluate(run, p);
    CHECK(run.steps[0].status == model::StepStatus::Failed);
    CHECK(run.steps[1].status == model::StepStatus::Passed);
    policy::StepPolicy none;
    none.has_fail_on = true;  // fail-on: none for that step
    p.steps["bandit"] = none;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);
  }

  TEST_CASE("unknown severity gates like high unless configured") {
    policy::Policy p;
    p.fail_on = Severity::High;
    auto run = one_step({Severity::Unknown});
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Fail);
    p.unknown_as = Severity::Low;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);
  }

  TEST_CASE("ignore-unfixed: unfixed vulnerabilities are reported but do not count") {
    auto run = one_step({Severity::Critical});
    run.steps[0].findings[0].package.fixed_version.clear();
    policy::Policy p;
    p.ignore_unfixed = true;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);
    CHECK(run.steps[0].findings.size() == 1);
    p.ignore_unfixed = false;
    policy::StepPolicy sp;
    sp.ignore_unfixed = true;  // per step
    p.steps["trivy"] = sp;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);
    run.steps[0].findings[0].package.fixed_version = "2.0";
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Fail);
  }

  TEST_CASE("new-only counts only new findings") {
    auto run = one_step({Severity::High, Severity::High});
    run.steps[0].findings[0].baseline = model::BaselineState::Unchanged;
    run.steps[0].findings[1].baseline = model::BaselineState::Unchanged;
    policy::Policy p;
    p.new_only = true;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Pass);
    run.steps[0].findings[1].baseline = model::BaselineState::New;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Fail);
    CHECK(run.reasons[0].find("1 high") != std::string::npos);
  }

  TEST_CASE("waived findings do not count") {
    auto run = one_step({Severity::Critical});
    run.steps[0].findings[0].waiver = model::Waiver{"CVE-1", "accepted", "", "", ""};
    policy::evaluate(run, policy::Policy{});
    CHECK(run.verdict == model::Verdict::Pass);
  }

  TEST_CASE("a step in error is never green") {
    auto run = one_step({});
    run.steps[0].status = model::StepStatus::Error;
    run.steps[0].errors = {"trivy: command not found"};
    policy::Policy p;
    p.fail_on = std::nullopt;
    policy::evaluate(run, p);
    CHECK(run.verdict == model::Verdict::Error);
    CHECK(run.reasons[0] == "trivy: error: trivy: command not found");
  }
}
