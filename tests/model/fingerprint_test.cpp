#include "src/model/fingerprint.hpp"

#include <doctest/doctest.h>

#include <string>
#include <unordered_map>
#include <vector>


using namespace dg;

namespace {

model::Finding vuln(int id, const std::string& package) {
  model::Finding f;
  f.tool = "trivy";
  f.kind = model::Kind::Vulnerability;
  f.rule_id = "CVE-2024-" + std::to_string(id);
  f.package.name = package;
  f.package.version = "1.0";
  f.location.target = "img";
  return f;
}

}  // namespace

TEST_SUITE("model.fingerprint") {
  TEST_CASE("a report big enough for several threads gets the fingerprints and repeat counters of one") {
    // 40,000 findings in which every tenth repeats an earlier one, some across the ranges the
    // threads take: the counters still follow the order of the findings.
    std::vector<model::Finding> findings;
    for (int i = 0; i < 40000; ++i) findings.push_back(vuln(i % 10 == 9 ? i / 1000 : i, "p"));
    findings[123].fingerprint = "kept";  // a fingerprint already there is kept
    model::assign_fingerprints(findings);
    std::unordered_map<std::string, int> seen;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (i == 123) {
        CHECK(findings[i].fingerprint == "kept");
        continue;
      }
      std::string want = model::fingerprint_base(findings[i]);
      int n = ++seen[want];
      if (n > 1) want += ":" + std::to_string(n);
      REQUIRE(findings[i].fingerprint == want);
    }
    CHECK(seen.size() < findings.size());  // there were repeats
  }
}
