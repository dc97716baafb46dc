// Issue 12: old trivy writes the JSON null for a clean scan. As a trivy report it is zero
// findings; auto-detection cannot tell which tool wrote it and says so.
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("adapters.ingest.trivy_null") {
  TEST_CASE("null read as trivy is a clean scan") {
    auto r = ingest::parse_report(test::data("ingest/trivy-null.json"), "trivy");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    REQUIRE(r->steps.size() == 1);
    CHECK(r->steps[0].name == "trivy");
    CHECK(r->steps[0].findings.empty());
  }

  TEST_CASE("null auto-detected asks for --format") {
    auto r = ingest::parse_report(test::data("ingest/trivy-null.json"), "auto");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK_MESSAGE(r.error().message.find("JSON `null`: cannot tell which tool wrote it; pass --format") != std::string::npos,
                  r.error().message);
  }

  TEST_CASE("gate --format trivy on null passes with zero findings") {
    auto r = test::cli({"gate", test::data("ingest/trivy-null.json").string(), "--format", "trivy"});
    CHECK_MESSAGE(r.code == 0, r.err);
  }
}
