// worst_n is what the console shows: the first n of worst_first, without sorting all of them.
#include "adapters/ingest/sniff.hpp"
#include "src/report/finding_view.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("report.finding_view") {
  TEST_CASE("worst_n is the first n of worst_first with ties in file order on a real report") {
    auto parsed = ingest::parse_report(test::corpus("trivy/dd-legacy_many_vulns.json"));
    REQUIRE_MESSAGE(parsed, (parsed ? "" : parsed.error().to_string()));
    auto findings = parsed->steps.at(0).findings;
    REQUIRE(findings.size() > 50);
    // Exact twins tie on every key: only their position tells them apart.
    auto n0 = findings.size();
    for (std::size_t i = 0; i < n0; i += 7) findings.push_back(findings[i]);
    for (std::size_t i = 0; i < findings.size(); i += 5)
      findings[i].waiver = model::Waiver{findings[i].rule_id, "accepted", "", "", "w.yml"};
    auto all = report::worst_first(findings);
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5}, std::size_t{40}, findings.size(),
                          findings.size() + 3}) {
      CAPTURE(n);
      auto top = report::worst_n(findings, n);
      REQUIRE(top.size() == std::min(n, findings.size()));
      for (std::size_t i = 0; i < top.size(); ++i) CHECK(top[i] == all[i]);
    }
  }
}
