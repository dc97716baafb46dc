// dockgate publish as a process against a real HTTP server on 127.0.0.1 (tests/data/ci/fake_api.py)
// that checks every request against the documented GitHub and GitLab shapes.
#include <filesystem>

#include "tests/adapters/ci/fake_api_server.hpp"
#include "tests/support.hpp"

using namespace dg;
using nlohmann::json;

namespace {

constexpr const char* kToken = "ghp_E2E_DO_NOT_LEAK_7f3a9c1e5b";
constexpr const char* kReadOnly = "ghs_READONLY_DO_NOT_LEAK_2d8e";
constexpr const char* kBad = "ghp_BAD_DO_NOT_LEAK_0000";

std::map<std::string, std::string> github_env(const test::FakeApi& api, const std::string& token,
                                              const std::string& event = "github-event-pull_request.json") {
  auto env = test::ci_github_env(api.url(), token, event);
  env["GITHUB_RUN_ID"] = "1658821493";
  return env;
}

std::map<std::string, std::string> gitlab_env(const test::FakeApi& api, const std::string& token) {
  return test::ci_gitlab_env(api.url(), token);
}

// A real result: hadolint's findings on a real Dockerfile, gated and written by dockgate itself.
std::string make_result(const test::TempDir& tmp) {
  auto path = (tmp / "result.json").string();
  auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--json", path, "--fail-on",
                      "critical", "-q"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return path;
}

test::ProcResult publish(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{test::dockgate_binary(), "publish"};
  argv.insert(argv.end(), args.begin(), args.end());
  return test::run_process(argv, env, {}, 60);
}

// The token must not be anywhere a user or a log collector could see it.
void check_no_token(const test::ProcResult& r, const test::TempDir& tmp, const std::vector<std::string>& tokens) {
  for (auto& t : tokens) {
    CHECK_MESSAGE(r.out.find(t) == std::string::npos, "token on stdout");
    CHECK_MESSAGE(r.err.find(t) == std::string::npos, "token on stderr");
    for (auto& e : std::filesystem::recursive_directory_iterator(tmp.path))
      if (e.is_regular_file()) CHECK_MESSAGE(test::read(e.path()).find(t) == std::string::npos, e.path().string());
  }
}

using test::check_no_violation;
using test::joined;

}  // namespace

TEST_SUITE("adapters.ci.publish_e2e") {
  TEST_CASE("GitHub: first run creates and a re-run updates the same comment found on page 2") {
    test::FakeApi api({"--token", kToken});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto env = github_env(api, kToken);

    auto first = publish({result}, env);
    CHECK_MESSAGE(first.code == 0, first.err);
    CHECK(first.err.find("comment created") != std::string::npos);
    auto second = publish({result}, env);
    CHECK_MESSAGE(second.code == 0, second.err);
    CHECK(second.err.find("comment updated") != std::string::npos);

    auto reqs = api.requests();
    auto lines = test::summarize(reqs);
    CHECK_MESSAGE((lines == std::vector<std::string>{
                               "GET /repos/octo-org/app/issues/7/comments page=1 200",
                               "GET /repos/octo-org/app/issues/7/comments page=2 200",
                               "POST /repos/octo-org/app/issues/7/comments 201",
                               "GET /repos/octo-org/app/issues/7/comments page=1 200",
                               "GET /repos/octo-org/app/issues/7/comments page=2 200",
                               "PATCH /repos/octo-org/app/issues/comments/" + std::to_string(reqs[2]["id"].get<int>()) + " 200",
                           }),
                  joined(lines));
    CHECK(reqs.size() == 6);
    if (reqs.size() == 6) {
      CHECK(reqs[5]["id"] == reqs[2]["id"]);
      CHECK(reqs[2]["markers"] == json::array({"<!-- dockgate:gate/scan -->"}));
      CHECK(reqs[5]["markers"] == reqs[2]["markers"]);
      // Both writes were checked against GitHub's OpenAPI description of the endpoint.
      CHECK(reqs[2].value("openapi", "") == "valid");
      CHECK(reqs[5].value("openapi", "") == "valid");
    }
    check_no_violation(api);
    check_no_token(first, tmp, {kToken});
    check_no_token(second, tmp, {kToken});
  }

  TEST_CASE("GitHub: two comment keys keep two comments and each re-run edits its own") {
    test::FakeApi api({"--token", kToken});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto env = github_env(api, kToken);
    CHECK(publish({result, "--comment-key", "amd64"}, env).code == 0);
    CHECK(publish({result, "--comment-key", "arm64"}, env).code == 0);
    CHECK(publish({result, "--comment-key", "arm64"}, env).code == 0);
    std::vector<json> writes;
    for (auto& r : api.requests())
      if (r["method"] != "GET") writes.push_back(r);
    REQUIRE(writes.size() == 3);
    CHECK(writes[0]["method"] == "POST");
    CHECK(writes[1]["method"] == "POST");
    CHECK(writes[0]["id"] != writes[1]["id"]);
    CHECK(writes[2]["method"] == "PATCH");
    CHECK(writes[2]["id"] == writes[1]["id"]);
    CHECK(writes[0]["markers"] == json::array({"<!-- dockgate:amd64 -->"}));
    CHECK(writes[2]["markers"] == json::array({"<!-- dockgate:arm64 -->"}));
    check_no_violation(api);
  }

  TEST_CASE("GitHub: 429 with Retry-After and a 500 are retried and the rate-limit reset is honored") {
    test::FakeApi api({"--token", kToken, "--faults", "429,500,ratelimit@POST"});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto start = std::chrono::steady_clock::now();
    auto r = publish({result}, github_env(api, kToken));
    auto took = std::chrono::steady_clock::now() - start;
    CHECK_MESSAGE(r.code == 0, r.err);
    auto lines = test::summarize(api.requests());
    CHECK_MESSAGE((lines == std::vector<std::string>{
                               "GET /repos/octo-org/app/issues/7/comments 429",
                               "GET /repos/octo-org/app/issues/7/comments 500",
                               "GET /repos/octo-org/app/issues/7/comments page=1 200",
                               "GET /repos/octo-org/app/issues/7/comments page=2 200",
                               "POST /repos/octo-org/app/issues/7/comments 403",
                               "POST /repos/octo-org/app/issues/7/comments 201",
                           }),
                  joined(lines));
    CHECK(took >= std::chrono::seconds(2));  // Retry-After: 1, then 2 s of backoff, then the reset
    CHECK(r.err.find("retrying") != std::string::npos);
    check_no_token(r, tmp, {kToken});
  }

  TEST_CASE("GitHub: a fork PR with a read-only token degrades to the job summary and exits 0") {
    test::FakeApi api({"--token", kToken, "--readonly-token", kReadOnly});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto env = github_env(api, kReadOnly, "github-event-pull_request-fork.json");
    env["GITHUB_STEP_SUMMARY"] = (tmp / "step-summary.md").string();
    auto r = publish({result}, env);
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("comment degraded") != std::string::npos);
    CHECK(r.err.find("fork") != std::string::npos);
    CHECK(std::filesystem::exists(tmp / "step-summary.md"));
    auto lines = test::summarize(api.requests());
    CHECK_MESSAGE(lines.size() == 3, joined(lines));
    if (lines.size() == 3) CHECK(lines[2] == "POST /repos/octo-org/app/issues/12/comments 403");
    check_no_violation(api);
    check_no_token(r, tmp, {kReadOnly, kToken});
  }

  TEST_CASE("GitHub: a bad token exits 4 with a clear message and no token") {
    test::FakeApi api({"--token", kToken});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto r = publish({result}, github_env(api, kBad));
    CHECK(r.code == 4);
    CHECK(r.err.find("401") != std::string::npos);
    CHECK(r.err.find("token was rejected") != std::string::npos);
    CHECK(test::summarize(api.requests()) ==
          std::vector<std::string>{"GET /repos/octo-org/app/issues/7/comments 401"});
    check_no_token(r, tmp, {kBad, kToken});
  }

  TEST_CASE("GitHub: gate --publish --check-run posts the comment and a validated check run") {
    test::FakeApi api({"--token", kToken, "--openapi", test::corpus("schemas/github-rest-openapi-fragment.json").string()});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    // gate wires --publish itself; the check run is publish's option, so run both commands.
    auto env = github_env(api, kToken);
    auto g = test::run_process({test::dockgate_binary(), "gate", test::corpus("hadolint/dd-one_dockerfile.json").string(),
                                "--fail-on", "critical", "--json", (tmp / "r.json").string(), "--publish"},
                               env, {}, 60);
    CHECK_MESSAGE(g.code == 0, g.err);
    auto p = publish({(tmp / "r.json").string(), "--check-run", "--comment-key", "checks"}, env);
    CHECK_MESSAGE(p.code == 0, p.err);
    CHECK(p.err.find("check run") != std::string::npos);
    auto reqs = api.requests();
    int creates = 0, patches = 0, comment_posts = 0;
    for (auto& r : reqs) {
      if (r["path"] == "/repos/octo-org/app/check-runs" && r["method"] == "POST") ++creates;
      if (r["path"].get<std::string>().starts_with("/repos/octo-org/app/check-runs/") && r["method"] == "PATCH") {
        ++patches;
        CHECK(r["annotations"].get<int>() <= 50);
      }
      if (r["path"] == "/repos/octo-org/app/issues/7/comments" && r["method"] == "POST") ++comment_posts;
    }
    CHECK(creates == 1);
    CHECK(patches >= 1);
    CHECK(comment_posts == 2);  // gate's comment (key gate/scan) and publish's (key checks)
    check_no_violation(api);
    check_no_token(g, tmp, {kToken});
    check_no_token(p, tmp, {kToken});
  }

  TEST_CASE("GitLab: first run creates the note and a re-run updates it with PUT") {
    test::FakeApi api({"--token", kToken, "--project-id", "42=grp/app", "--system-marker-key", "ci"});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto env = gitlab_env(api, kToken);
    auto first = publish({result}, env);
    CHECK_MESSAGE(first.code == 0, first.err);
    auto second = publish({result}, env);
    CHECK_MESSAGE(second.code == 0, second.err);
    auto reqs = api.requests();
    auto lines = test::summarize(reqs);
    REQUIRE_MESSAGE(reqs.size() == 6, joined(lines));
    CHECK(lines[0] == "GET /api/v4/projects/42/merge_requests/3/notes page=1 200");
    CHECK(lines[1] == "GET /api/v4/projects/42/merge_requests/3/notes page=2 200");
    CHECK(lines[2] == "POST /api/v4/projects/42/merge_requests/3/notes 201");
    CHECK(lines[5] == "PUT /api/v4/projects/42/merge_requests/3/notes/" + std::to_string(reqs[2]["id"].get<int>()) + " 200");
    CHECK(reqs[0]["auth"] == "private");
    CHECK(reqs[5]["markers"] == json::array({"<!-- dockgate:ci -->"}));
    check_no_violation(api);
    check_no_token(first, tmp, {kToken});
    check_no_token(second, tmp, {kToken});
  }

  TEST_CASE("GitLab: the job token is the fallback and a 403 degrades") {
    test::FakeApi api({"--token", kToken, "--readonly-token", kReadOnly, "--project-id", "42=grp/app"});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto env = gitlab_env(api, "");
    env["CI_JOB_TOKEN"] = kReadOnly;
    auto r = publish({result, "--out-dir", (tmp / "out").string()}, env);
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("comment degraded") != std::string::npos);
    CHECK(std::filesystem::exists(tmp / "out/dockgate-comment.md"));
    auto reqs = api.requests();
    REQUIRE(!reqs.empty());
    CHECK(reqs[0]["auth"] == "job");
    CHECK(reqs.back()["status"] == 403);
    check_no_violation(api);
    check_no_token(r, tmp, {kReadOnly, kToken});
  }

  TEST_CASE("Jenkins: a PR build comments on the GitHub PR named by CHANGE_URL") {
    test::FakeApi api({"--token", kToken});
    REQUIRE(api.port > 0);
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto env = test::ci_clean_env();
    env["JENKINS_URL"] = "https://jenkins.example.com/";
    env["JOB_NAME"] = "app/PR-7";
    env["BUILD_URL"] = "https://jenkins.example.com/job/app/job/PR-7/3/";
    env["CHANGE_ID"] = "7";
    env["CHANGE_URL"] = "https://github.com/octo-org/app/pull/7";
    env["GITHUB_API_URL"] = api.url();
    env["GITHUB_TOKEN"] = kToken;
    auto r = publish({result}, env);
    CHECK_MESSAGE(r.code == 0, r.err);
    auto reqs = api.requests();
    REQUIRE(!reqs.empty());
    CHECK(reqs.back()["method"] == "POST");
    CHECK(reqs.back()["path"] == "/repos/octo-org/app/issues/7/comments");
    CHECK(reqs.back()["markers"] == json::array({"<!-- dockgate:app/PR-7 -->"}));
    check_no_violation(api);
    check_no_token(r, tmp, {kToken});
  }

  TEST_CASE("publish --dry-run prints the comment and sends nothing") {
    test::TempDir tmp;
    auto result = make_result(tmp);
    auto env = test::ci_clean_env();
    env["GITHUB_ACTIONS"] = "true";
    env["GITHUB_REPOSITORY"] = "octo-org/app";
    env["GITHUB_EVENT_PATH"] = test::data("ci/github-event-pull_request.json").string();
    env["GITHUB_API_URL"] = "http://127.0.0.1:9";  // nothing listens: any request would fail
    auto r = publish({result, "--dry-run", "--comment-key", "preview"}, env);
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("<!-- dockgate:preview -->") != std::string::npos);
    CHECK(r.err.find("dry run") != std::string::npos);
  }
}
