#include <nlohmann/json.hpp>

#include "src/app/version.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("app.version") {
  TEST_CASE("--version names the version and the commit and build type") {
    auto r = test::cli({"--version"});
    CHECK(r.code == 0);
    CHECK(r.out == app::version_line() + "\n");
    CHECK(r.out.starts_with(std::string("dockgate ") + DOCKGATE_VERSION + " (commit "));
    CHECK(r.out.find(app::build_info().build_type) != std::string::npos);
    CHECK(app::build_info().commit != "");
  }

  TEST_CASE("the commit is one the repository knows") {
    if (!test::need_program("git")) return;
    // HEAD may have moved since the build (others commit to this tree): the commit must exist.
    auto known = test::run_process({"git", "-C", test::source_dir().string(), "cat-file", "-e",
                                    app::build_info().commit + "^{commit}"});
    CHECK_MESSAGE(known.code == 0, "commit ", app::build_info().commit, " is not in the repository");
  }

  TEST_CASE("version --json is one object with the same values") {
    auto r = test::cli({"version", "--json"});
    CHECK(r.code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["version"] == DOCKGATE_VERSION);
    CHECK(j["commit"] == app::build_info().commit);
    CHECK(j["build_type"] == app::build_info().build_type);
    CHECK(j["compiler"].get<std::string>() != "");
    auto plain = test::cli({"version"});
    CHECK(plain.out == app::version_line() + "\n");
  }
}
