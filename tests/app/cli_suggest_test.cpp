// Issue 12: mistyped flags and unknown commands get a did-you-mean, as config keys do.
#include "tests/support.hpp"

using namespace dg;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
}  // namespace

TEST_SUITE("app.cli_suggest") {
  TEST_CASE("a mistyped flag gets the closest flag of its command") {
    auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--fial-on", "high"});
    CHECK(r.code == 2);
    CHECK_MESSAGE(has(r.err, "did you mean '--fail-on'?"), r.err);
    auto eq = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--basline=old.json"});
    CHECK(eq.code == 2);
    CHECK_MESSAGE(has(eq.err, "did you mean '--baseline'?"), eq.err);
  }

  TEST_CASE("scan suggests run and gate") {
    auto r = test::cli({"scan", "alpine:3.20"});
    CHECK(r.code == 2);
    CHECK_MESSAGE(has(r.err, "did you mean 'run'"), r.err);
    CHECK(has(r.err, "'gate'"));
  }

  TEST_CASE("a mistyped command gets the closest command") {
    auto r = test::cli({"gaet", "trivy.json"});
    CHECK(r.code == 2);
    CHECK_MESSAGE(has(r.err, "did you mean 'gate'?"), r.err);
  }
}
