// Issue 17: tables sort vulnerabilities by risk (known exploited first, then EPSS × severity) and
// show a KEV badge and the EPSS score with its percentile.
#include "src/policy/policy.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/writers.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;

namespace {
// A low that CISA lists as exploited, a critical nobody is likely to exploit, a high with no EPSS
// data and a medium with a fair EPSS score.
model::Run risky_run() {
  auto low_kev = pt::vuln("trivy", "CVE-2022-22965", "spring-beans", "5.3.15", Severity::Low);
  low_kev.risk.kev = true;
  low_kev.risk.kev_added = "2022-04-04";
  low_kev.risk.epss = 0.94471;
  low_kev.risk.epss_percentile = 0.99985;
  auto crit = pt::vuln("trivy", "CVE-2019-18224", "libidn2-0", "2.0.5-1", Severity::Critical);
  crit.risk.epss = 0.00043;
  crit.risk.epss_percentile = 0.11622;
  auto high = pt::vuln("trivy", "CVE-2019-14806", "Werkzeug", "0.11", Severity::High);
  auto medium = pt::vuln("trivy", "CVE-2019-1551", "libssl1.1", "1.1.1c-r0", Severity::Medium);
  medium.risk.epss = 0.5;
  medium.risk.epss_percentile = 0.97;
  return pt::run_of({pt::step("trivy", {crit, medium, high, low_kev})});
}
}  // namespace

TEST_SUITE("report.risk") {
  TEST_CASE("worst first puts KEV first then EPSS times severity and no EPSS weighs its severity") {
    auto run = risky_run();
    auto list = report::worst_first(run.steps[0].findings);
    REQUIRE(list.size() == 4);
    CHECK(list[0]->rule_id == "CVE-2022-22965");  // KEV
    CHECK(list[1]->rule_id == "CVE-2019-14806");  // high, no EPSS: 4
    CHECK(list[2]->rule_id == "CVE-2019-1551");   // medium × 0.5: 1.5
    CHECK(list[3]->rule_id == "CVE-2019-18224");  // critical × 0.00043
  }

  TEST_CASE("without any risk data the order is the severity order as before") {
    auto run = pt::run_of({pt::step("trivy", {pt::vuln("trivy", "CVE-1", "a", "1", Severity::Low),
                                              pt::vuln("trivy", "CVE-2", "b", "1", Severity::Critical),
                                              pt::vuln("trivy", "CVE-3", "c", "1", Severity::Unknown),
                                              pt::vuln("trivy", "CVE-4", "d", "1", Severity::High)})});
    auto list = report::worst_first(run.steps[0].findings);
    CHECK(list[0]->rule_id == "CVE-2");
    CHECK(list[1]->rule_id == "CVE-4");
    CHECK(list[2]->rule_id == "CVE-1");
    CHECK(list[3]->rule_id == "CVE-3");
  }

  TEST_CASE("epss text gives score and percentile") {
    model::Risk r;
    CHECK(report::epss_text(r).empty());
    r.epss = 0.08;
    r.epss_percentile = 0.53;
    CHECK(report::epss_text(r) == "EPSS 8.0% (p53)");
    r.epss = 0.00043;
    r.epss_percentile = 0.11622;
    CHECK(report::epss_text(r) == "EPSS 0.043% (p11)");
  }

  TEST_CASE("the comment and the console show the KEV badge and EPSS in risk order") {
    auto run = risky_run();
    policy::Policy p;
    p.fail_on_kev = true;
    policy::evaluate(run, p);
    auto md = report::write_markdown(run, report::MarkdownOptions{});
    CHECK_MESSAGE(md.find("**KEV** EPSS 94.5% (p99)") != std::string::npos, md);
    CHECK(md.find("CVE-2022-22965") < md.find("CVE-2019-14806"));
    CHECK(md.find("CVE-2019-14806") < md.find("CVE-2019-1551"));
    CHECK(md.find("CVE-2019-1551") < md.find("CVE-2019-18224"));
    CHECK(md.find("CVE-2022-22965 is known exploited (KEV, added 2022-04-04)") != std::string::npos);
    auto console = report::write_console(run, report::ConsoleOptions{});
    auto line = console.find("CVE-2022-22965  spring-beans@5.3.15");
    REQUIRE_MESSAGE(line != std::string::npos, console);
    CHECK(console.find("[KEV]  EPSS 94.5% (p99)", line) < console.find('\n', line));
    CHECK(line < console.find("CVE-2019-18224"));
  }

  TEST_CASE("JUnit Code Quality and annotations say known exploited with the date and the EPSS score") {
    auto run = risky_run();
    policy::Policy p;
    p.fail_on_kev = true;
    policy::evaluate(run, p);
    const std::string words = "known exploited (KEV, added 2022-04-04) \xC2\xB7 EPSS 94.5% (p99)";
    auto junit = report::write_junit(run);
    CHECK_MESSAGE(junit.find(words) != std::string::npos, junit);
    auto cq = nlohmann::json::parse(report::write_codequality(run));
    bool in_cq = false;
    for (auto& issue : cq)
      if (issue["check_name"] == "CVE-2022-22965")
        in_cq = issue["description"].get<std::string>().find(words) != std::string::npos;
    CHECK_MESSAGE(in_cq, cq.dump(2));
    auto ann = report::write_annotations(run);
    auto at = ann.find("CVE-2022-22965");
    REQUIRE(at != std::string::npos);
    CHECK(ann.find("known exploited (KEV, added 2022-04-04)", at) < ann.find('\n', at));
    // No risk data, no words.
    CHECK(report::risk_text(run.steps[0].findings[2]).empty());
  }
}
