#include <nlohmann/json.hpp>

#include "adapters/ci/ci.hpp"
#include "tests/adapters/ci/fake_transport.hpp"
#include "tests/support.hpp"

using namespace dg;
using nlohmann::json;

namespace {

constexpr const char* kToken = "ghp_UNITTESTTOKEN0123456789abcdefABCD";
const std::string kApi = "https://api.github.com";

model::Run sample_run(std::size_t located = 2) {
  model::Run run;
  run.verdict = model::Verdict::Fail;
  model::StepResult s;
  s.name = "lint";
  s.tool = "hadolint";
  s.status = model::StepStatus::Failed;
  for (std::size_t i = 0; i < located; ++i) {
    model::Finding f;
    f.tool = "hadolint";
    f.rule_id = "DL3008";
    f.severity = i % 2 ? model::Severity::Medium : model::Severity::High;
    f.title = "Pin versions in apt get install";
    f.location.path = "Dockerfile";
    f.location.line = static_cast<int>(i + 1);
    s.findings.push_back(f);
  }
  run.steps.push_back(s);
  return run;
}

ci::Env github_env(const std::string& event = "github-event-pull_request.json") {
  return {{"GITHUB_ACTIONS", "true"},      {"GITHUB_REPOSITORY", "octo-org/app"},
          {"GITHUB_SHA", "a1b2c3"},        {"GITHUB_EVENT_PATH", test::data("ci/" + event).string()},
          {"GITHUB_API_URL", kApi},        {"GITHUB_SERVER_URL", "https://github.com"},
          {"GITHUB_WORKFLOW", "gate"},     {"GITHUB_JOB", "scan"},
          {"GITHUB_RUN_ID", "99"},         {"GITHUB_TOKEN", kToken}};
}

ci::Env gitlab_env() {
  return {{"GITLAB_CI", "true"},
          {"CI_SERVER_URL", "https://gitlab.example.org"},
          {"CI_API_V4_URL", "https://gitlab.example.org/api/v4"},
          {"CI_PROJECT_ID", "42"},
          {"CI_PROJECT_PATH", "platform/app"},
          {"CI_MERGE_REQUEST_IID", "3"},
          {"CI_JOB_NAME", "dockgate"},
          {"CI_JOB_TOKEN", "job-token-value-1234"},
          {"GITLAB_TOKEN", kToken}};
}

ci::PublishOptions opts(const std::string& key = "ci") {
  ci::PublishOptions o;
  o.marker_key = key;
  return o;
}

std::string marker_of(const std::string& body) {
  auto b = body.find("<!-- dockgate:");
  auto e = body.find("-->", b);
  return b == std::string::npos || e == std::string::npos ? std::string{} : body.substr(b, e + 3 - b);
}

std::string comments_page(std::vector<std::pair<int, std::string>> items) {
  json a = json::array();
  for (auto& [id, body] : items) a.push_back({{"id", id}, {"body", body}, {"html_url", "https://github.com/c/" + std::to_string(id)}});
  return a.dump();
}

}  // namespace

TEST_SUITE("adapters.ci.publish") {
  TEST_CASE("GitHub: no marker on any page creates the comment") {
    test::FakeTransport http;
    http.script = {
        test::respond(200, comments_page({{1, "LGTM"}, {2, "<!-- dockgate:ci-other -->\nnot ours"}}),
                      {{"link", "<" + kApi + "/repos/octo-org/app/issues/7/comments?per_page=100&page=2>; rel=\"next\""}}),
        test::respond(200, comments_page({{3, "nit"}})),
        test::respond(201, R"({"id":77,"html_url":"https://github.com/octo-org/app/pull/7#issuecomment-77"})")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), github_env(), http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->action == "created");
    CHECK(r->detail == "https://github.com/octo-org/app/pull/7#issuecomment-77");
    REQUIRE(http.requests.size() == 3);
    CHECK(http.requests[0].method == "GET");
    CHECK(http.requests[0].url == kApi + "/repos/octo-org/app/issues/7/comments?per_page=100");
    CHECK(http.requests[1].url == kApi + "/repos/octo-org/app/issues/7/comments?per_page=100&page=2");
    CHECK(http.requests[2].method == "POST");
    CHECK(http.requests[2].url == kApi + "/repos/octo-org/app/issues/7/comments");
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(http.header(i, "Authorization") == std::string("Bearer ") + kToken);
      CHECK(http.header(i, "Accept") == "application/vnd.github+json");
      CHECK(http.header(i, "X-GitHub-Api-Version") == "2022-11-28");
      CHECK(http.header(i, "User-Agent").starts_with("dockgate/"));
    }
    auto body = json::parse(http.requests[2].body);
    REQUIRE(body.is_object());
    CHECK(body.size() == 1);
    CHECK(body["body"].get<std::string>() == r->body);
    CHECK(marker_of(r->body) == "<!-- dockgate:ci -->");
  }

  TEST_CASE("GitHub: our marker on page 2 is updated with PATCH on the same id") {
    test::FakeTransport http;
    auto env = github_env();
    http.script = {
        test::respond(200, comments_page({{1, "LGTM"}}),
                      {{"link", "<" + kApi + "/repos/octo-org/app/issues/7/comments?per_page=100&page=2>; rel=\"next\""}}),
        test::respond(200, comments_page({{2, "x"}, {55, "old\n<!-- dockgate:ci -->\nold body"}})),
        test::respond(200, R"({"id":55,"html_url":"https://github.com/octo-org/app/pull/7#issuecomment-55"})")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), env, http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->action == "updated");
    REQUIRE(http.requests.size() == 3);
    CHECK(http.requests[2].method == "PATCH");
    CHECK(http.requests[2].url == kApi + "/repos/octo-org/app/issues/comments/55");
  }

  TEST_CASE("the marker key defaults to the workflow and job name") {
    test::FakeTransport http;
    http.script = {test::respond(200, "[]"), test::respond(201, R"({"id":1})")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(""), github_env(), http, s.policy());
    REQUIRE(r);
    CHECK(marker_of(r->body).find("gate") != std::string::npos);
    CHECK(marker_of(r->body).find("scan") != std::string::npos);
  }

  TEST_CASE("GitHub: a fork PR's 403 degrades to the job summary") {
    test::TempDir tmp;
    auto env = github_env("github-event-pull_request-fork.json");
    env["GITHUB_STEP_SUMMARY"] = (tmp / "summary.md").string();
    test::FakeTransport http;
    http.script = {test::respond(200, "[]"),
                   test::respond(403, R"({"message":"Resource not accessible by integration"})")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), env, http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->action == "degraded");
    CHECK(r->detail.find("fork") != std::string::npos);
    CHECK(r->detail.find("Resource not accessible by integration") != std::string::npos);
    CHECK(r->warnings.size() == 1);
    CHECK(std::filesystem::exists(tmp / "summary.md"));
    CHECK(s.waits.empty());
  }

  TEST_CASE("summary_written avoids appending the summary twice") {
    test::TempDir tmp;
    auto env = github_env("github-event-pull_request-fork.json");
    env["GITHUB_STEP_SUMMARY"] = (tmp / "summary.md").string();
    test::write(tmp / "summary.md", "already\n");
    test::FakeTransport http;
    http.script = {test::respond(404, R"({"message":"Not Found"})")};
    auto o = opts();
    o.summary_written = true;
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), o, env, http, s.policy());
    REQUIRE(r);
    CHECK(r->action == "degraded");
    CHECK(test::read(tmp / "summary.md") == "already\n");
  }

  TEST_CASE("a 401 is a Step error that says the token is wrong and never shows it") {
    test::FakeTransport http;
    http.script = {test::respond(401, std::string(R"({"message":"Bad credentials )") + kToken + "\"}")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), github_env(), http, s.policy());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Step);
    CHECK(util::exit_code(r.error().kind) == 4);
    CHECK(r.error().message.find("401") != std::string::npos);
    CHECK(r.error().message.find("token was rejected") != std::string::npos);
    CHECK(r.error().message.find(kToken) == std::string::npos);
  }

  TEST_CASE("a 422 is a Step error naming the request") {
    test::FakeTransport http;
    http.script = {test::respond(200, "[]"), test::respond(422, R"({"message":"Validation Failed"})")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), github_env(), http, s.policy());
    REQUIRE_FALSE(r);
    CHECK(r.error().message == "GitHub: POST /repos/octo-org/app/issues/7/comments: HTTP 422 Unprocessable Entity: Validation Failed");
  }

  TEST_CASE("a next-page link to another host is not followed") {
    test::FakeTransport http;
    http.script = {test::respond(200, "[]", {{"link", "<https://evil.example/steal?page=2>; rel=\"next\""}})};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), github_env(), http, s.policy());
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("another host") != std::string::npos);
    CHECK(http.requests.size() == 1);
  }

  TEST_CASE("GitLab: PRIVATE-TOKEN and X-Next-Page paging and system notes skipped and PUT") {
    test::FakeTransport http;
    const std::string notes = "https://gitlab.example.org/api/v4/projects/42/merge_requests/3/notes";
    http.script = {
        test::respond(200, R"([{"id":5,"body":"<!-- dockgate:ci -->","system":true},{"id":6,"body":"nit","system":false}])",
                      {{"x-next-page", "2"}}),
        test::respond(200, R"([{"id":9,"body":"<!-- dockgate:ci -->\nold","system":false}])", {{"x-next-page", ""}}),
        test::respond(200, R"({"id":9})")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), gitlab_env(), http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->action == "updated");
    CHECK(r->detail == "https://gitlab.example.org/platform/app/-/merge_requests/3#note_9");
    REQUIRE(http.requests.size() == 3);
    CHECK(http.requests[0].url == notes + "?sort=asc&order_by=created_at&per_page=100");
    CHECK(http.requests[1].url == notes + "?sort=asc&order_by=created_at&per_page=100&page=2");
    CHECK(http.requests[2].method == "PUT");
    CHECK(http.requests[2].url == notes + "/9");
    CHECK(http.header(0, "PRIVATE-TOKEN") == kToken);
    CHECK(json::parse(http.requests[2].body).contains("body"));
  }

  TEST_CASE("GitLab: CI_JOB_TOKEN is the fallback and a 403 degrades to a file") {
    test::TempDir tmp;
    auto env = gitlab_env();
    env.erase("GITLAB_TOKEN");
    test::FakeTransport http;
    http.script = {test::respond(200, "[]"), test::respond(403, R"({"message":"403 Forbidden"})")};
    auto o = opts();
    o.out_dir = tmp.path.string();
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), o, env, http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(http.header(0, "JOB-TOKEN") == "job-token-value-1234");
    CHECK(r->action == "degraded");
    CHECK(std::filesystem::exists(tmp / "dockgate-comment.md"));
  }

  TEST_CASE("GitLab: the project path is URL-encoded when the id is unknown") {
    auto env = gitlab_env();
    env.erase("CI_PROJECT_ID");
    test::FakeTransport http;
    http.script = {test::respond(200, "[]"), test::respond(201, R"({"id":1})")};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), env, http, s.policy());
    REQUIRE(r);
    CHECK(r->action == "created");
    CHECK(http.requests[1].url == "https://gitlab.example.org/api/v4/projects/platform%2Fapp/merge_requests/3/notes");
  }

  TEST_CASE("not a PR or not in CI is skipped without any request") {
    test::FakeTransport http;
    auto env = github_env("github-event-push.json");
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), env, http, s.policy());
    REQUIRE(r);
    CHECK(r->action == "skipped");
    auto local = ci::publish(sample_run(), opts(), {}, http, s.policy());
    REQUIRE(local);
    CHECK(local->action == "skipped");
    CHECK(http.requests.empty());
  }

  TEST_CASE("dry run sends nothing and returns the body") {
    test::FakeTransport http;
    auto o = opts();
    o.dry_run = true;
    auto env = github_env();
    env.erase("GITHUB_TOKEN");  // no token needed to look
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), o, env, http, s.policy());
    REQUIRE(r);
    CHECK(r->action == "skipped");
    CHECK(r->detail.find("/repos/octo-org/app/issues/7/comments") != std::string::npos);
    CHECK(marker_of(r->body) == "<!-- dockgate:ci -->");
    CHECK(http.requests.empty());
  }

  TEST_CASE("tokens only come from the environment") {
    test::FakeTransport http;
    test::RecordedSleeps s;
    auto o = opts();
    o.token_env = "ghp_pasted-token-value";
    auto r = ci::publish(sample_run(), o, github_env(), http, s.policy());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Usage);
    CHECK(r.error().message.find("ghp_pasted-token-value") == std::string::npos);

    o.token_env = "MY_BOT_TOKEN";
    auto unset = ci::publish(sample_run(), o, github_env(), http, s.policy());
    REQUIRE_FALSE(unset);
    CHECK(unset.error().message.find("MY_BOT_TOKEN") != std::string::npos);

    auto env = github_env();
    env["MY_BOT_TOKEN"] = "bot-token-value-5678";
    http.script = {test::respond(200, "[]"), test::respond(201, R"({"id":1})")};
    auto ok = ci::publish(sample_run(), o, env, http, s.policy());
    REQUIRE(ok);
    CHECK(http.header(0, "Authorization") == "Bearer bot-token-value-5678");

    env.erase("GITHUB_TOKEN");
    auto none = ci::publish(sample_run(), opts(), env, http, s.policy());
    REQUIRE_FALSE(none);
    CHECK(none.error().kind == util::ErrorKind::Usage);
    CHECK(none.error().message.find("GITHUB_TOKEN") != std::string::npos);
  }

  TEST_CASE("a pasted token that is also a valid variable name is never echoed") {
    test::FakeTransport http;
    test::RecordedSleeps s;
    auto o = opts();
    for (std::string pasted : {"ghp_AbCdEf0123456789AbCdEf0123456789AbCd", "github_pat_11ABCDEFG0abcdefghijkl",
                               "gho_16C7e42F292c6912E7710c838347Ae178B4a", "0123456789abcdef0123456789abcdef01234567",
                               "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFi"}) {
      o.token_env = pasted;
      auto r = ci::publish(sample_run(), o, github_env(), http, s.policy());
      REQUIRE_FALSE(r);
      CHECK(r.error().kind == util::ErrorKind::Usage);
      CHECK_MESSAGE(r.error().message.find(pasted) == std::string::npos, r.error().message);
    }
  }

  TEST_CASE("Jenkins without CHANGE_ID writes JUnit and SARIF for junit and recordIssues") {
    test::TempDir tmp;
    test::FakeTransport http;
    auto o = opts();
    o.out_dir = (tmp / "reports").string();
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), o, {{"JENKINS_URL", "https://j/"}, {"JOB_NAME", "app"}}, http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->action == "written");
    CHECK(std::filesystem::exists(tmp / "reports/dockgate-junit.xml"));
    CHECK(std::filesystem::exists(tmp / "reports/dockgate.sarif"));
    CHECK(r->detail.find("recordIssues(tools: [sarif(pattern:") != std::string::npos);
    CHECK(http.requests.empty());
  }

  TEST_CASE("Jenkins with CHANGE_ID comments on the GitHub PR named by CHANGE_URL") {
    test::FakeTransport http;
    http.script = {test::respond(200, "[]"), test::respond(201, R"({"id":3})")};
    ci::Env env{{"JENKINS_URL", "https://j/"},
                {"JOB_NAME", "app/PR-7"},
                {"CHANGE_ID", "7"},
                {"CHANGE_URL", "https://github.com/octo-org/app/pull/7"},
                {"GITHUB_TOKEN", kToken}};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), env, http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->action == "created");
    CHECK(http.requests[1].url == "https://api.github.com/repos/octo-org/app/issues/7/comments");
  }

  TEST_CASE("Jenkins with CHANGE_ID comments on the GitLab MR named by CHANGE_URL") {
    test::FakeTransport http;
    http.script = {test::respond(200, "[]"), test::respond(201, R"({"id":3})")};
    ci::Env env{{"JENKINS_URL", "https://j/"},
                {"CHANGE_ID", "4"},
                {"CHANGE_URL", "https://git.corp.example/platform/app/-/merge_requests/4"},
                {"GITLAB_TOKEN", kToken}};
    test::RecordedSleeps s;
    auto r = ci::publish(sample_run(), opts(), env, http, s.policy());
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(http.requests[1].url == "https://git.corp.example/api/v4/projects/platform%2Fapp/merge_requests/4/notes");
    CHECK(http.header(1, "PRIVATE-TOKEN") == kToken);
  }
}
