// libcurl is loaded at run time (src/util/curl_loader.cpp): the binary does not link it, HTTP
// still works (every publish and smoke test goes through it), and without it the commands that
// need HTTP say so and exit 4 at once instead of retrying.
#include "tests/adapters/ci/fake_api_server.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {
std::map<std::string, std::string> github_env(const test::FakeApi& api) {
  std::map<std::string, std::string> env{{"DOCKGATE_LIBCURL", "libcurl-not-installed.so.4"}};
  for (auto* k : {"GITLAB_CI", "JENKINS_URL", "JENKINS_HOME", "GH_TOKEN", "DOCKGATE_CONFIG", "GITHUB_STEP_SUMMARY"})
    env[k] = "";
  env["GITHUB_ACTIONS"] = "true";
  env["GITHUB_REPOSITORY"] = "octo-org/app";
  env["GITHUB_SHA"] = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
  env["GITHUB_EVENT_PATH"] = test::data("ci/github-event-pull_request.json").string();
  env["GITHUB_API_URL"] = api.url();
  env["GITHUB_TOKEN"] = "ghp_LOADER_TEST_0123456789";
  return env;
}
}  // namespace

TEST_SUITE("util.curl_loader") {
  TEST_CASE("the binary does not link libcurl") {
    auto needed = test::dynamic_section();
    if (!needed) return;
    CHECK_MESSAGE(needed->find("libcurl") == std::string::npos, *needed);
  }

  TEST_CASE("without libcurl publish exits 4 at once with the reason") {
    test::FakeApi api({"--token", "ghp_LOADER_TEST_0123456789"});
    REQUIRE(api.port != 0);
    test::TempDir tmp;
    auto result = (tmp / "result.json").string();
    auto g = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--json", result, "--fail-on",
                        "critical", "-q"});
    REQUIRE_MESSAGE(g.code == 0, g.err);
    auto r = test::run_process({test::dockgate_binary(), "publish", result}, github_env(api), {}, 60);
    CHECK(r.code == 4);
    CHECK_MESSAGE(r.err.find("libcurl is not installed (libcurl-not-installed.so.4 could not be loaded)") != std::string::npos,
                  r.err);
    CHECK_MESSAGE(r.err.find("retrying") == std::string::npos, r.err);
    CHECK(api.requests().empty());
    // doctor still runs and names the cause where it checks the token.
    auto d = test::run_process({test::dockgate_binary(), "doctor"}, github_env(api), {}, 60, tmp.path);
    CHECK_MESSAGE(d.code == 0, d.out, d.err);
    CHECK_MESSAGE(d.out.find("failed: libcurl is not installed") != std::string::npos, d.out);
  }
}
