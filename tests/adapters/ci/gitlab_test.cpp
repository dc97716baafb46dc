#include "adapters/ci/platforms.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

ci::Env mr_pipeline() {
  return {{"GITLAB_CI", "true"},
          {"CI_SERVER_URL", "https://gitlab.example.org"},
          {"CI_API_V4_URL", "https://gitlab.example.org/api/v4"},
          {"CI_PROJECT_ID", "42"},
          {"CI_PROJECT_PATH", "platform/images/app"},
          {"CI_PROJECT_URL", "https://gitlab.example.org/platform/images/app"},
          {"CI_COMMIT_SHA", "1f2e3d4c5b6a79881726354453627180aabbccdd"},
          {"CI_COMMIT_REF_NAME", "pin-base"},
          {"CI_MERGE_REQUEST_IID", "3"},
          {"CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "pin-base"},
          {"CI_JOB_URL", "https://gitlab.example.org/platform/images/app/-/jobs/9001"},
          {"CI_JOB_NAME", "dockgate 1/3"}};
}

}  // namespace

TEST_SUITE("adapters.ci.gitlab") {
  TEST_CASE("a merge request pipeline on a self-managed host") {
    auto c = ci::detect(mr_pipeline());
    CHECK(c.platform == "gitlab");
    CHECK(c.server_url == "https://gitlab.example.org");
    CHECK(c.repository == "platform/images/app");
    CHECK(c.commit == "1f2e3d4c5b6a79881726354453627180aabbccdd");
    CHECK(c.branch == "pin-base");
    CHECK(c.pull_request == "3");
    CHECK(c.job_url == "https://gitlab.example.org/platform/images/app/-/jobs/9001");
    CHECK(c.job_name == "dockgate 1/3");
  }

  TEST_CASE("a branch pipeline has no MR") {
    auto env = mr_pipeline();
    env.erase("CI_MERGE_REQUEST_IID");
    env.erase("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME");
    env["CI_COMMIT_REF_NAME"] = "main";
    auto c = ci::detect(env);
    CHECK(c.pull_request == "");
    CHECK(c.branch == "main");
  }

  TEST_CASE("API base: CI_API_V4_URL or the server URL") {
    auto env = mr_pipeline();
    CHECK(ci::gitlab_api_base(env, "ignored") == "https://gitlab.example.org/api/v4");
    env.erase("CI_API_V4_URL");
    CHECK(ci::gitlab_api_base(env, "https://git.corp.example:8443/") == "https://git.corp.example:8443/api/v4");
    CHECK(ci::gitlab_api_base(env, "") == "https://gitlab.com/api/v4");
  }

  TEST_CASE("older runners without CI_SERVER_URL: server from the project URL") {
    auto env = mr_pipeline();
    env.erase("CI_SERVER_URL");
    CHECK(ci::detect(env).server_url == "https://gitlab.example.org");
  }

  TEST_CASE("note endpoints of an MR") {
    auto ep = ci::gitlab_notes("https://gitlab.example.org/api/v4", "platform%2Fimages%2Fapp", "3");
    CHECK(ep.list_url ==
          "https://gitlab.example.org/api/v4/projects/platform%2Fimages%2Fapp/merge_requests/3/notes?sort=asc&order_by=created_at&per_page=100");
    CHECK(ep.update_url("77") == "https://gitlab.example.org/api/v4/projects/platform%2Fimages%2Fapp/merge_requests/3/notes/77");
    CHECK(ep.update_method == "PUT");
    CHECK(ep.skip_system_notes);
  }
}
