#include "adapters/ci/platforms.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

ci::Env actions(const std::string& event_file) {
  return {{"GITHUB_ACTIONS", "true"},
          {"GITHUB_SERVER_URL", "https://github.com"},
          {"GITHUB_API_URL", "https://api.github.com"},
          {"GITHUB_REPOSITORY", "octo-org/app"},
          {"GITHUB_SHA", "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"},
          {"GITHUB_REF", "refs/pull/7/merge"},
          {"GITHUB_REF_NAME", "7/merge"},
          {"GITHUB_HEAD_REF", "pin-base"},
          {"GITHUB_RUN_ID", "1658821493"},
          {"GITHUB_WORKFLOW", "image gate"},
          {"GITHUB_JOB", "scan"},
          {"GITHUB_EVENT_PATH", event_file.empty() ? "" : test::data("ci/" + event_file).string()}};
}

}  // namespace

TEST_SUITE("adapters.ci.github") {
  TEST_CASE("a pull_request event gives the PR number and every context field") {
    auto c = ci::detect(actions("github-event-pull_request.json"));
    CHECK(c.platform == "github");
    CHECK(c.server_url == "https://github.com");
    CHECK(c.repository == "octo-org/app");
    CHECK(c.commit == "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
    CHECK(c.branch == "pin-base");
    CHECK(c.pull_request == "7");
    CHECK(c.job_url == "https://github.com/octo-org/app/actions/runs/1658821493");
    CHECK(c.job_name == "image gate/scan");
  }

  TEST_CASE("the event file agrees with an independent read by python") {
    auto file = test::data("ci/github-event-pull_request.json");
    auto py = test::run_process({"/usr/bin/python3", "-c",
                                 "import json,sys; e=json.load(open(sys.argv[1])); p=e['pull_request'];"
                                 "print(p['number'], p['head']['sha'], p['head']['repo']['full_name']!=p['base']['repo']['full_name'])",
                                 file.string()});
    REQUIRE(py.code == 0);
    auto ev = ci::read_github_event(actions("github-event-pull_request.json"));
    CHECK(py.out == ev.pull_request + " " + ev.head_sha + " " + (ev.fork ? "True" : "False") + "\n");
  }

  TEST_CASE("a fork PR is recognized from head and base repositories") {
    auto ev = ci::read_github_event(actions("github-event-pull_request-fork.json"));
    CHECK(ev.pull_request == "12");
    CHECK(ev.fork);
    CHECK(ev.head_sha == "b1946ac92492d2347c6235b4d2611184aa9dd0e5");
    CHECK_FALSE(ci::read_github_event(actions("github-event-pull_request.json")).fork);
  }

  TEST_CASE("an issue_comment on a PR gives its number") {
    auto env = actions("github-event-issue_comment.json");
    env.erase("GITHUB_REF");
    CHECK(ci::detect(env).pull_request == "31");
  }

  TEST_CASE("a workflow_run event gives the PR of the triggering run") {
    auto ev = ci::read_github_event(actions("github-event-workflow_run.json"));
    CHECK(ev.pull_request == "7");
    CHECK(ev.head_sha == "6dcb09b5b57875f334f61aebed695e2e4193db5e");
  }

  TEST_CASE("a push build has no PR and the branch from GITHUB_REF_NAME") {
    auto env = actions("github-event-push.json");
    env["GITHUB_REF"] = "refs/heads/main";
    env["GITHUB_REF_NAME"] = "main";
    env["GITHUB_HEAD_REF"] = "";  // Actions exports it empty outside pull_request events
    auto c = ci::detect(env);
    CHECK(c.pull_request == "");
    CHECK(c.branch == "main");
  }

  TEST_CASE("without an event file the PR number comes from refs/pull/N/merge") {
    auto env = actions("");
    CHECK(ci::detect(env).pull_request == "7");
    env["GITHUB_EVENT_PATH"] = (test::data("ci") / "missing.json").string();
    CHECK(ci::detect(env).pull_request == "7");
  }

  TEST_CASE("an unreadable or non-JSON event file is ignored") {
    test::TempDir tmp;
    test::write(tmp / "event.json", "{not json");
    auto env = actions("");
    env["GITHUB_EVENT_PATH"] = (tmp / "event.json").string();
    env.erase("GITHUB_REF");
    CHECK(ci::detect(env).pull_request == "");
  }

  TEST_CASE("GitHub Enterprise Server: API base from the server URL unless GITHUB_API_URL says") {
    ci::Env env{{"GITHUB_SERVER_URL", "https://ghe.example.com/"}};
    CHECK(ci::github_api_base(env, "https://ghe.example.com") == "https://ghe.example.com/api/v3");
    CHECK(ci::github_api_base(env, "https://github.com") == "https://api.github.com");
    CHECK(ci::github_api_base(env, "") == "https://api.github.com");
    env["GITHUB_API_URL"] = "https://ghe.example.com/api/v3/";
    CHECK(ci::github_api_base(env, "whatever") == "https://ghe.example.com/api/v3");
    auto a = actions("github-event-pull_request.json");
    a["GITHUB_SERVER_URL"] = "https://ghe.example.com";
    CHECK(ci::detect(a).job_url == "https://ghe.example.com/octo-org/app/actions/runs/1658821493");
  }

  TEST_CASE("comment endpoints of a PR") {
    auto ep = ci::github_comments("https://api.github.com", "octo-org/app", "7");
    CHECK(ep.list_url == "https://api.github.com/repos/octo-org/app/issues/7/comments?per_page=100");
    CHECK(ep.create_url == "https://api.github.com/repos/octo-org/app/issues/7/comments");
    CHECK(ep.update_url("99") == "https://api.github.com/repos/octo-org/app/issues/comments/99");
    CHECK(ep.update_method == "PATCH");
  }
}
