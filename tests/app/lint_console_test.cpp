// Issue 12: `dockgate lint` prints every finding on the console (the top-N is for the comment),
// unless --max-console N.
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("app.lint_console") {
  TEST_CASE("lint shows every finding on the console unless --max-console") {
    test::TempDir tmp;
    auto dockerfile = test::corpus("dockerfiles/defectdojo.Dockerfile.django-debian").string();
    auto counted = test::cli({"lint", dockerfile, "--format", "json", "-o", (tmp / "r.json").string(), "--fail-on", "none"});
    REQUIRE_MESSAGE(counted.code == 0, counted.err);
    auto n = nlohmann::json::parse(test::read(tmp / "r.json"))["steps"][0]["findings"].size();
    REQUIRE(n > 5);  // more than the default top 5 of other commands

    auto all = test::cli({"lint", dockerfile, "--fail-on", "none"});
    CHECK_MESSAGE(all.err.find("lint: " + std::to_string(n) + " findings\n") != std::string::npos, all.err);
    CHECK(all.err.find("top 5") == std::string::npos);

    auto capped = test::cli({"lint", dockerfile, "--fail-on", "none", "--max-console", "2"});
    CHECK_MESSAGE(capped.err.find("lint: top 2 of " + std::to_string(n)) != std::string::npos, capped.err);
  }
}
