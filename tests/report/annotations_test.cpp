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
    auto out = report::write_annotations(run);
    CHECK(count_lines(out, "::error ") == 10);
    CHECK(count_lines(out, "::warning ") == 10);
    CHECK(count_lines(out, "::notice ") == 1);
    CHECK(out.find("30 more findings are not annotated") != std::string::npos);  // 20 + 5 + 5
  }
}
