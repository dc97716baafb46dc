// Issue 16 rows 12 and 17, against the fake API (tests/data/ci/fake_api.py) on 127.0.0.1: a token
// with control characters is refused before anything is sent, a token echoed back by the server
// is redacted, and a comment list that never ends stops with an error instead of a duplicate.
#include "tests/adapters/ci/fake_api_server.hpp"
#include "tests/sanitizers.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

constexpr const char* kToken = "ghp_STICKY_DO_NOT_LEAK_4b1d";

std::map<std::string, std::string> github_env(const test::FakeApi& api, const std::string& token) {
  return test::ci_github_env(api.url(), token);
}

std::string make_result(const test::TempDir& tmp) {
  auto path = (tmp / "result.json").string();
  auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--json", path, "--fail-on",
                      "critical", "-q"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return path;
}

test::ProcResult publish(const std::string& result, const std::map<std::string, std::string>& env) {
  return test::run_process({test::dockgate_binary(), "publish", result}, env, {}, 60);
}

// publish with at most 1 GiB of address space (not under ASan, see sanitizers.hpp).
test::ProcResult publish_bounded(const std::string& result, const std::map<std::string, std::string>& env) {
  std::string cmd = test::address_space_limit(1048576) + "exec \"$0\" \"$@\"";
  return test::run_process({"/bin/sh", "-c", cmd, test::dockgate_binary(), "publish", result}, env, {}, 60);
}

std::pair<int, int> gets_and_writes(const test::FakeApi& api) {
  int gets = 0, writes = 0;
  for (auto& q : api.requests()) {
    if (q["method"] == "GET") ++gets;
    else ++writes;
  }
  return {gets, writes};
}

struct Published {
  test::ProcResult r;
  int writes = 0;  // requests that would have posted or edited a comment
};

// publish, within 1 GiB of address space, to a fake GitHub whose comment list is hostile
// (fake_api.py --hostile-list KIND).
Published publish_to_hostile_list(const std::string& kind) {
  test::FakeApi api({"--token", kToken, "--hostile-list", kind});
  REQUIRE(api.port > 0);
  test::TempDir tmp;
  auto result = make_result(tmp);
  auto r = publish_bounded(result, github_env(api, kToken));
  return {r, gets_and_writes(api).second};
}

}  // namespace

TEST_SUITE("adapters.ci.sticky") {
  TEST_CASE("a token with CR LF is refused unsent and unechoed and an echoed token is redacted") {
    // Row 12: the CR/LF ended the Authorization header and injected one of ours; the server's
    // echo of it then showed the token's second half, which redaction of the whole token missed.
    test::FakeApi api({"--token", kToken, "--echo-headers"});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    const std::string injected = "ghp_FIRST_HALF_5e2a\r\nX-Injected: ghp_SECOND_HALF_9c7f";
    auto r = publish(result, github_env(api, injected));
    CHECK(r.code == 2);
    CHECK_MESSAGE(r.err.find("the API token contains control characters") != std::string::npos, r.err);
    CHECK(r.err.find("FIRST_HALF") == std::string::npos);
    CHECK(r.err.find("SECOND_HALF") == std::string::npos);
    CHECK(r.out.find("HALF") == std::string::npos);
    CHECK(api.requests().empty());
    // The same wherever the token comes from: GitLab's variable, and one named by --token-env.
    auto gl = test::run_process({test::dockgate_binary(), "publish", result}, test::ci_gitlab_env(api.url(), injected),
                                {}, 60);
    CHECK(gl.code == 2);
    CHECK_MESSAGE(gl.err.find("the API token contains control characters") != std::string::npos, gl.err);
    CHECK(gl.err.find("HALF") == std::string::npos);
    auto named_env = github_env(api, kToken);
    named_env["MY_TOKEN"] = "ghp_TAB_IN_IT_7d1e\tghp_AFTER_TAB_0b3c";
    auto named = test::run_process({test::dockgate_binary(), "publish", result, "--token-env", "MY_TOKEN"}, named_env,
                                   {}, 60);
    CHECK(named.code == 2);
    CHECK_MESSAGE(named.err.find("the API token contains control characters") != std::string::npos, named.err);
    CHECK(named.err.find("TAB_IN_IT") == std::string::npos);
    CHECK(api.requests().empty());

    // A clean but wrong token, echoed back in the server's error message: never shown.
    const std::string wrong = "ghp_WRONG_BUT_CLEAN_TOKEN_81f0";
    auto w = publish(result, github_env(api, wrong));
    CHECK(w.code == 4);
    CHECK_MESSAGE(w.err.find("request headers") != std::string::npos, w.err);  // the echo did come back
    CHECK(w.err.find("WRONG_BUT_CLEAN") == std::string::npos);
    CHECK(w.out.find("WRONG_BUT_CLEAN") == std::string::npos);
  }

  TEST_CASE("an API answer nested 32 MiB deep is refused in bounded memory and nothing is posted") {
    // The bounded-memory rule of issue 16 for what the API answers: nlohmann built a value per
    // '[' (about 2.5 GB for this list), so under a 1 GiB limit publish died of bad_alloc.
    auto [r, writes] = publish_to_hostile_list("deep");
    CHECK_MESSAGE(r.code == 4, r.err.substr(0, 2000));
    CHECK_MESSAGE(r.err.find("expected a JSON array of comments") != std::string::npos, r.err.substr(0, 2000));
    CHECK(writes == 0);
  }

  TEST_CASE("an API answer over 32 MiB is not read further and nothing is posted") {
    // A 40 MiB answer to a comment list was read whole, then taken as a list without comments.
    auto [r, writes] = publish_to_hostile_list("huge");
    CHECK_MESSAGE(r.code == 4, r.err);
    CHECK_MESSAGE(r.err.find("the answer is larger than 32 MiB; not read further") != std::string::npos, r.err);
    CHECK(r.err.find(kToken) == std::string::npos);
    CHECK(writes == 0);
  }

  TEST_CASE("a comment list whose pagination never ends stops with an error and posts nothing") {
    // Row 17: after 100 pages dockgate stopped looking and posted a new comment: a duplicate
    // sticky whenever its own comment was further on.
    test::FakeApi api({"--token", kToken, "--endless-pages"});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto r = publish(result, github_env(api, kToken));
    CHECK(r.code != 0);
    CHECK_MESSAGE(r.err.find("the list of comments did not end after 100 pages") != std::string::npos, r.err);
    auto [gets, writes] = gets_and_writes(api);
    CHECK(gets == 100);
    CHECK(writes == 0);
  }

  TEST_CASE("a comment list that never ends on GitLab or links back to a read page posts nothing") {
    // Row 17's rule on both forges, and for a list that loops instead of growing: a next link
    // back to a page already read would otherwise be followed until the page limit.
    struct Case {
      std::string flag, forge, says;
    };
    const std::string loop = "did not end (page 3 links back to a page already read)";
    for (const Case& c : {Case{"--endless-pages", "gitlab", "did not end after 100 pages"},
                          Case{"--looping-pages", "gitlab", loop}, Case{"--looping-pages", "github", loop}}) {
      CAPTURE(c.flag);
      CAPTURE(c.forge);
      test::FakeApi api({"--token", kToken, c.flag});
      REQUIRE(api.port > 0);
      test::TempDir tmp;
      auto result = make_result(tmp);
      auto env = c.forge == "github" ? github_env(api, kToken) : test::ci_gitlab_env(api.url(), kToken);
      auto r = publish(result, env);
      CHECK(r.code != 0);
      CHECK_MESSAGE(r.err.find("the list of comments " + c.says) != std::string::npos, r.err);
      auto [gets, writes] = gets_and_writes(api);
      CHECK(gets <= 100);
      CHECK(writes == 0);
    }
  }
}
