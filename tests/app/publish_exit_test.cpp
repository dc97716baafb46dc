// Issue 12: publishing never changes the gate's exit code; --publish-strict makes a publish
// failure exit 4; a rejected token is still said clearly. Against the fake API on 127.0.0.1.
#include "tests/adapters/ci/fake_api_server.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

constexpr const char* kToken = "ghp_PUBLISH_EXIT_DO_NOT_LEAK_41c2";
constexpr const char* kBad = "ghp_PUBLISH_EXIT_BAD_DO_NOT_LEAK_9e0";

test::ProcResult gate_publish(const std::map<std::string, std::string>& env, std::vector<std::string> extra = {},
                              const std::string& fail_on = "none") {
  std::vector<std::string> argv{test::dockgate_binary(), "gate", test::corpus("hadolint/dd-one_dockerfile.json").string(),
                                "--fail-on", fail_on, "--publish"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return test::run_process(argv, env, {}, 60);
}

}  // namespace

TEST_SUITE("app.publish_exit") {
  TEST_CASE("a passing gate with --publish and no token exits 0 with a warning") {
    auto r = gate_publish(test::ci_github_env("http://127.0.0.1:9", ""));
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("warning: the comment was not published") != std::string::npos);
    auto strict = gate_publish(test::ci_github_env("http://127.0.0.1:9", ""), {"--publish-strict"});
    CHECK_MESSAGE(strict.code == 4, strict.err);
  }

  TEST_CASE("a passing gate with a token and the API down exits 0 with a warning") {
    // Nothing listens on port 9 of loopback: the request fails to connect.
    auto r = gate_publish(test::ci_github_env("http://127.0.0.1:9", kToken));
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK_MESSAGE(r.err.find("warning: the comment was not published") != std::string::npos, r.err);
    CHECK(r.err.find(kToken) == std::string::npos);
    auto strict = gate_publish(test::ci_github_env("http://127.0.0.1:9", kToken), {"--publish-strict"});
    CHECK_MESSAGE(strict.code == 4, strict.err);
  }

  TEST_CASE("a rejected token is a clear warning and the verdict's exit code") {
    test::FakeApi api({"--token", kToken});
    REQUIRE(api.port > 0);
    auto r = gate_publish(test::ci_github_env(api.url(), kBad));
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("token was rejected") != std::string::npos);
    CHECK(r.err.find(kBad) == std::string::npos);
    auto strict = gate_publish(test::ci_github_env(api.url(), kBad), {"--publish-strict"});
    CHECK_MESSAGE(strict.code == 4, strict.err);
    CHECK(strict.err.find("token was rejected") != std::string::npos);
    // A failing verdict keeps its own code under --publish-strict.
    auto failing = gate_publish(test::ci_github_env(api.url(), kBad), {"--publish-strict"}, "low");
    CHECK_MESSAGE(failing.code == 1, failing.err);
  }
}
