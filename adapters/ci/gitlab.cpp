// GitLab CI (gitlab.com and self-managed): everything comes from predefined variables.
#include "adapters/ci/platforms.hpp"

namespace dg::ci {

std::string gitlab_api_base(const Env& env, const std::string& server_url) {
  for (const char* name : {"CI_API_V4_URL", "GITLAB_API_URL"})
    if (auto api = env_get(env, name); !api.empty()) return trim_slash(api);
  auto server = trim_slash(server_url.empty() ? "https://gitlab.com" : server_url);
  return server + "/api/v4";
}

model::Context detect_gitlab(const Env& env) {
  model::Context c;
  c.platform = "gitlab";
  c.server_url = trim_slash(env_get(env, "CI_SERVER_URL"));
  if (c.server_url.empty()) {
    // Older runners: only the project URL. https://host/group/project -> https://host
    auto project_url = env_get(env, "CI_PROJECT_URL");
    if (auto o = origin_of(project_url); !o.empty()) c.server_url = o;
  }
  c.repository = env_get(env, "CI_PROJECT_PATH");
  c.commit = env_get(env, "CI_COMMIT_SHA");
  c.branch = env_get(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME");
  if (c.branch.empty()) c.branch = env_get(env, "CI_COMMIT_REF_NAME");
  // Set only in merge request pipelines (rules: if $CI_PIPELINE_SOURCE == "merge_request_event").
  c.pull_request = env_get(env, "CI_MERGE_REQUEST_IID");
  c.job_url = env_get(env, "CI_JOB_URL");
  c.job_name = env_get(env, "CI_JOB_NAME");
  return c;
}

CommentApi gitlab_notes(const std::string& api_base, const std::string& project, const std::string& iid) {
  CommentApi ep;
  const std::string notes = api_base + "/projects/" + project + "/merge_requests/" + iid + "/notes";
  // Oldest first, so a re-run finds the same note the first run created.
  ep.list_url = notes + "?sort=asc&order_by=created_at&per_page=100";
  ep.create_url = notes;
  ep.update_url = [notes](const std::string& id) { return notes + "/" + id; };
  ep.update_method = "PUT";
  ep.skip_system_notes = true;
  return ep;
}

}  // namespace dg::ci
