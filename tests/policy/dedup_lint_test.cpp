// steps.lint.tool: both — the built-in rule and hadolint's rule for one problem become one finding.
#include "src/policy/dedup.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {
model::Finding lint(const std::string& tool, const std::string& rule, std::vector<std::string> aliases, int line,
                    model::Severity sev) {
  model::Finding f;
  f.tool = tool;
  f.rule_id = rule;
  f.aliases = std::move(aliases);
  f.kind = model::Kind::Lint;
  f.location.path = "Dockerfile";
  f.location.line = line;
  f.severity = sev;
  f.sources = {tool};
  return f;
}
}  // namespace

TEST_SUITE("policy.dedup_lint") {
  TEST_CASE("a DG rule and the hadolint code it maps to on the same line merge") {
    model::Run run;
    model::StepResult builtin, hadolint;
    builtin.name = hadolint.name = "lint";
    builtin.findings.push_back(lint("dockgate-lint", "DG102", {"DL3007"}, 1, model::Severity::Medium));
    builtin.findings.push_back(lint("dockgate-lint", "DG110", {"DL3002"}, 9, model::Severity::High));
    hadolint.findings.push_back(lint("hadolint", "DL3007", {}, 1, model::Severity::High));
    hadolint.findings.push_back(lint("hadolint", "DL3002", {}, 12, model::Severity::Medium));  // another line
    hadolint.findings.push_back(lint("hadolint", "DL3008", {}, 3, model::Severity::Medium));
    run.steps = {builtin, hadolint};
    CHECK(policy::dedup(run) == 1);
    REQUIRE(run.steps[0].findings.size() == 2);
    auto& merged = run.steps[0].findings[0];
    CHECK(merged.rule_id == "DG102");
    CHECK(merged.severity == model::Severity::High);
    CHECK(merged.sources == std::vector<std::string>{"dockgate-lint", "hadolint"});
    CHECK(run.steps[1].findings.size() == 2);
    CHECK(run.merged_duplicates == 1);
  }

  TEST_CASE("two findings of the same linter never merge") {
    model::Run run;
    model::StepResult s;
    s.name = "lint";
    s.findings.push_back(lint("hadolint", "DL3007", {}, 1, model::Severity::High));
    s.findings.push_back(lint("hadolint", "DL3007", {}, 1, model::Severity::High));
    run.steps = {s};
    CHECK(policy::dedup(run) == 0);
    CHECK(run.steps[0].findings.size() == 2);
  }
}
