// Issue 12: plural forms are right wherever a count is said ("1 high finding"), not only in the
// verdict's reasons: the console's verdict line and baseline note, the comment's header and its
// <details>, the HTML page's baseline section.
#include "src/report/html.hpp"
#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"

using namespace dg;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

model::Finding vuln(int i) {
  auto f = test::pkg(test::finding("trivy", "CVE-2024-" + std::to_string(1000 + i), model::Severity::High,
                                   model::Kind::Vulnerability, "overflow " + std::to_string(i)),
                     "libfoo" + std::to_string(i), "1.0", "1.1", "registry.example/app:1 (debian 12)");
  f.gating = true;
  return f;
}

model::Run run_of(std::vector<model::Finding> findings) {
  model::Run run;
  model::StepResult s;
  s.name = s.tool = "trivy";
  s.status = model::StepStatus::Failed;
  s.findings = std::move(findings);
  run.steps.push_back(std::move(s));
  run.verdict = model::Verdict::Fail;
  run.reasons = {"trivy: 1 high finding at or above fail-on high"};
  return run;
}
}  // namespace

TEST_SUITE("report.counts") {
  TEST_CASE("counts of one are singular on the console in the comment and on the page") {
    auto run = run_of({vuln(0)});
    run.merged_duplicates = 1;
    run.baseline_incomplete = {"grype"};
    run.baseline_unknown = 1;

    auto console = report::write_console(run, {});
    CHECK_MESSAGE(has(console, "1 of 1 finding counts against it (1 duplicate finding merged across scanners)"), console);
    CHECK_MESSAGE(has(console, "(errored or did not run): 1 baseline finding unknown, not fixed"), console);

    auto md = report::write_markdown(run, {});
    CHECK_MESSAGE(has(md, "\n1 finding (1 counted by the policy), 0 waived \xC2\xB7 1 duplicate merged across scanners"), md);

    auto html = report::write_html(run, {});
    CHECK(has(html, "Not compared: 1 baseline finding of grype"));
  }

  TEST_CASE("the comment's details say one more finding and one waived finding") {
    std::vector<model::Finding> list;
    list.reserve(7);
    for (int i = 0; i < 6; ++i) list.push_back(vuln(i));  // five shown, one in <details>
    auto w = test::waived(vuln(6), "accepted");
    w.gating = false;
    w.why_not = "waived";
    list.push_back(w);
    auto md = report::write_markdown(run_of(list), {});
    CHECK_MESSAGE(has(md, "<summary>1 more trivy finding</summary>"), md);
    CHECK(has(md, "<summary>1 waived finding</summary>"));
    // More than one keeps the plural.
    auto console = report::write_console(run_of(list), {});
    CHECK_MESSAGE(has(console, "6 of 7 findings count against it"), console);
  }
}
