// Which CI are we in: each platform sets a variable no other one does.
#include "adapters/ci/platforms.hpp"

namespace dg::ci {

model::Context detect(const Env& env) {
  if (env_get(env, "GITHUB_ACTIONS") == "true") return detect_github(env);
  if (!env_get(env, "GITLAB_CI").empty()) return detect_gitlab(env);
  // JENKINS_URL is the documented marker; BUILD_URL + JOB_NAME cover agents that hide it.
  if (!env_get(env, "JENKINS_URL").empty() || (!env_get(env, "JENKINS_HOME").empty() && !env_get(env, "BUILD_URL").empty()))
    return detect_jenkins(env);
  model::Context c;
  c.platform = "local";
  return c;
}

}  // namespace dg::ci
