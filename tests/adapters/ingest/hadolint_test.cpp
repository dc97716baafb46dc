#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("ingest.hadolint") {
  TEST_CASE("one Dockerfile: four findings with levels mapped") {
    auto r = ingest::parse_report(test::corpus("hadolint/dd-one_dockerfile.json"));
    REQUIRE(r);
    CHECK(r->format == "hadolint-json");
    REQUIRE(r->steps.size() == 1);
    auto& s = r->steps[0];
    CHECK(s.name == "lint");
    CHECK(s.tool == "hadolint");
    CHECK(s.findings.size() == 4);
    for (auto& f : s.findings) {
      CHECK(!f.rule_id.empty());
      CHECK(!f.fingerprint.empty());
      CHECK(f.location.line > 0);
    }
  }

  TEST_CASE("compact one-line array with ShellCheck codes and error level") {
    auto r = ingest::parse_report(test::corpus("hadolint/sarif-rs-hadolint.json"));
    REQUIRE(r);
    auto& f = r->steps[0].findings;
    CHECK(f.size() == 8);
    bool shellcheck = false, error = false;
    for (auto& x : f) {
      if (x.rule_id.starts_with("SC")) shellcheck = x.help_uri.find("shellcheck.net") != std::string::npos;
      if (x.tool_severity == "error") error = x.severity == model::Severity::High;
    }
    CHECK(shellcheck);
    CHECK(error);
  }

  TEST_CASE("a clean Dockerfile ([]) is a passing lint step and not an unknown file") {
    auto in = ingest::make_input("clean.json", "[]\n");
    auto r = ingest::parse_input(in);
    REQUIRE(r);
    CHECK(r->steps.at(0).findings.empty());
  }

  TEST_CASE("a finding without a code names the file and position") {
    auto in = ingest::make_input("bad.json", "[\n  {\"level\": \"error\", \"line\": 1}\n]");
    auto r = ingest::parse_hadolint_json(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().file == "bad.json");
    CHECK(r.error().line == 2);
  }
}
