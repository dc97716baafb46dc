#include "adapters/ci/platforms.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("adapters.ci.jenkins") {
  TEST_CASE("a multibranch PR build on GitHub") {
    ci::Env env{{"JENKINS_URL", "https://jenkins.example.com/"},
                {"BUILD_URL", "https://jenkins.example.com/job/app/job/PR-7/3/"},
                {"JOB_NAME", "app/PR-7"},
                {"GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567"},
                {"BRANCH_NAME", "PR-7"},
                {"CHANGE_ID", "7"},
                {"CHANGE_BRANCH", "pin-base"},
                {"CHANGE_TARGET", "main"},
                {"CHANGE_URL", "https://github.com/octo-org/app/pull/7"},
                {"GIT_URL", "https://github.com/octo-org/app.git"}};
    auto c = ci::detect(env);
    CHECK(c.platform == "jenkins");
    CHECK(c.server_url == "https://github.com");
    CHECK(c.repository == "octo-org/app");
    CHECK(c.commit == "0123456789abcdef0123456789abcdef01234567");
    CHECK(c.branch == "pin-base");
    CHECK(c.pull_request == "7");
    CHECK(c.job_url == "https://jenkins.example.com/job/app/job/PR-7/3/");
    CHECK(c.job_name == "app/PR-7");
    auto f = ci::jenkins_forge(env);
    CHECK(f.kind == "github");
    CHECK(ci::github_api_base({}, f.server_url) == "https://api.github.com");
  }

  TEST_CASE("a GitLab MR with subgroups on a self-managed host") {
    auto f = ci::forge_from_url("https://git.corp.example/platform/images/app/-/merge_requests/3");
    CHECK(f.kind == "gitlab");
    CHECK(f.server_url == "https://git.corp.example");
    CHECK(f.repository == "platform/images/app");
    CHECK(ci::gitlab_api_base({}, f.server_url) == "https://git.corp.example/api/v4");
    auto old = ci::forge_from_url("https://gitlab.example.org/group/app/merge_requests/12");
    CHECK(old.kind == "gitlab");
    CHECK(old.repository == "group/app");
  }

  TEST_CASE("GitHub Enterprise PR URL gives the /api/v3 base") {
    auto f = ci::forge_from_url("https://ghe.corp.example/team/svc/pull/41");
    CHECK(f.kind == "github");
    CHECK(f.repository == "team/svc");
    CHECK(ci::github_api_base({}, f.server_url) == "https://ghe.corp.example/api/v3");
  }

  TEST_CASE("clone URLs: scp-like and ssh forms and credentials dropped") {
    auto scp = ci::forge_from_url("git@gitlab.com:group/sub/app.git");
    CHECK(scp.kind == "gitlab");
    CHECK(scp.server_url == "https://gitlab.com");
    CHECK(scp.repository == "group/sub/app");
    auto ssh = ci::forge_from_url("ssh://git@github.com:22/octo-org/app.git");
    CHECK(ssh.kind == "github");
    CHECK(ssh.server_url == "https://github.com");
    CHECK(ssh.repository == "octo-org/app");
    auto cred = ci::forge_from_url("https://x-access-token:s3cr3t-in-url@github.com/octo-org/app.git");
    CHECK(cred.server_url == "https://github.com");
    CHECK(cred.repository == "octo-org/app");
    auto unknown = ci::forge_from_url("https://git.corp.example/team/app.git");
    CHECK(unknown.kind == "");
    CHECK(ci::forge_from_url("").kind == "");
    CHECK(ci::forge_from_url("not a url").server_url == "");
  }

  TEST_CASE("GIT_URL decides when CHANGE_URL does not and DOCKGATE_FORGE overrides") {
    ci::Env env{{"JENKINS_URL", "https://j/"}, {"GIT_URL", "git@gitlab.example.org:team/app.git"}, {"CHANGE_ID", "5"}};
    CHECK(ci::jenkins_forge(env).kind == "gitlab");
    env["GIT_URL"] = "https://git.corp.example/team/app.git";
    CHECK(ci::jenkins_forge(env).kind == "");
    env["DOCKGATE_FORGE"] = "github";
    CHECK(ci::jenkins_forge(env).kind == "github");
  }

  TEST_CASE("a branch build has no PR and the branch from GIT_BRANCH") {
    ci::Env env{{"JENKINS_URL", "https://j/"}, {"GIT_BRANCH", "origin/main"}, {"JOB_NAME", "app-main"}};
    auto c = ci::detect(env);
    CHECK(c.platform == "jenkins");
    CHECK(c.pull_request == "");
    CHECK(c.branch == "main");
  }
}
