#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"

using namespace dg;

namespace {
std::size_t count_lines(const std::string& s, std::string_view prefix) {
  std::size_t n = 0, pos = 0;
  while (pos < s.size()) {
    auto end = s.find('\n', pos);
    if (s.compare(pos, prefix.size(), prefix) == 0) ++n;
    pos = end == std::string::npos ? s.size() : end + 1;
  }
  return n;
}
}  // namespace

TEST_SUITE("report.annotations") {
  TEST_CASE("mixed run matches the golden file") {
    test::check_golden("mixed.annotations.txt", report::write_annotations(test::mixed_run()));
  }

  TEST_CASE("worst first with properties and data escaped") {
    auto out = report::write_annotations(test::mixed_run());
    // the first line is a critical finding; waived findings are not annotated
    CHECK(out.starts_with("::error "));
    CHECK(out.find("CVE-2023-5678") == std::string::npos);
    CHECK(out.find("::error file=Dockerfile,line=1,col=1,title=lint high DL3007::") != std::string::npos);
    CHECK(out.find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
    auto run = test::mixed_run();
    auto& f = run.steps[0].findings[2];
    f.location.path = "dir,with:odd%chars";
    f.title = "100% broken\r\n::error::injected";
    out = report::write_annotations(run);
    CHECK(out.find("file=dir%2Cwith%3Aodd%25chars") != std::string::npos);
    // the title is one line: a newline cannot start a command of its own
    CHECK(out.find("100%25 broken ::error::injected") != std::string::npos);
    CHECK(count_lines(out, "::error::injected") == 0);
    f.location.path.clear();
    f.package.name = "pkg\nx";
    f.help_uri = "https://x/50%";
    out = report::write_annotations(run);
    CHECK(out.find("https://x/50%25") != std::string::npos);
  }

  TEST_CASE("at most 10 errors and 10 warnings then one notice") {
    model::Run run;
    model::StepResult s;
    s.name = "trivy";
    s.tool = "trivy";
    for (int i = 0; i < 30; ++i)
      s.findings.push_back(test::at(test::finding("trivy", "R" + std::to_string(i), model::Severity::High,
                                                  model::Kind::Misconfiguration, "high"), "f", i + 1));
    for (int i = 0; i < 15; ++i)
      s.findings.push_back(test::finding("trivy", "M" + std::to_string(i), model::Severity::Medium,
                                         model::Kind::Misconfiguration, "medium"));
    for (int i = 0; i < 5; ++i)
      s.findings.push_back(test::finding("trivy", "L" + std::to_string(i), model::Severity::Low,
                                         model::Kind::Misconfiguration, "low"));
    run.steps.push_back(s);
    // fail-on high: the highs gate (errors), the mediums do not (notices), the lows are left out.
    policy::evaluate(run, policy::Policy{});
    auto out = report::write_annotations(run);
    CHECK(count_lines(out, "::error ") == 10);
    CHECK(count_lines(out, "::warning ") == 0);
    CHECK(count_lines(out, "::notice ") == 10);  // 9 mediums and the closing notice
    CHECK(out.find("31 more findings are not annotated") != std::string::npos);  // 20 + 6 + 5
  }

  TEST_CASE("a finding that does not gate is never an error") {
    model::Run run;
    model::StepResult s;
    s.name = "grype";
    s.tool = "grype";
    auto crit = test::finding("grype", "CVE-2021-33574", model::Severity::Critical, model::Kind::Vulnerability, "glibc");
    crit.package.name = "libc6";
    crit.package.version = "2.31-13";
    s.findings.push_back(crit);  // no fixed version
    run.steps.push_back(s);
    policy::Policy p;
    p.ignore_unfixed = true;
    policy::evaluate(run, p);
    auto out = report::write_annotations(run);
    CHECK(count_lines(out, "::error ") == 0);
    CHECK(count_lines(out, "::warning ") == 1);
    CHECK(out.find("not counted by the policy: unfixed") != std::string::npos);
    p.ignore_unfixed = false;
    policy::evaluate(run, p);
    CHECK(count_lines(report::write_annotations(run), "::error ") == 1);
  }
}
