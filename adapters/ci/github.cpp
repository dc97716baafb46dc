// GitHub Actions: detection from the runner's variables and the event payload.
#include <nlohmann/json.hpp>
#include <system_error>

#include "adapters/ci/platforms.hpp"
#include "src/util/file.hpp"
#include "src/util/log.hpp"
#include "src/util/text.hpp"

namespace dg::ci {

using nlohmann::json;

std::string env_get(const Env& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string{} : util::trim(it->second);
}

std::string github_api_base(const Env& env, const std::string& server_url) {
  if (auto api = env_get(env, "GITHUB_API_URL"); !api.empty()) return trim_slash(api);
  auto server = trim_slash(server_url.empty() ? "https://github.com" : server_url);
  if (origin_of(server) == "https://github.com") return "https://api.github.com";
  return server + "/api/v3";  // GitHub Enterprise Server
}

static std::string number_string(const json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  return {};
}

static const json* at(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (auto* key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

static std::string str_at(const json& j, std::initializer_list<const char*> path) {
  auto* v = at(j, path);
  return v && v->is_string() ? v->get<std::string>() : std::string{};
}

GitHubEvent read_github_event(const Env& env) {
  GitHubEvent ev;
  auto path = env_get(env, "GITHUB_EVENT_PATH");
  if (path.empty()) return ev;
  // The payload is GitHub's, but bounded anyway: a detection must not be a way to exhaust memory.
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size > (32u << 20)) {
    spdlog::debug("GITHUB_EVENT_PATH is not readable or too large; no pull request number from it");
    return ev;
  }
  auto text = util::read_file(path);
  if (!text) return ev;
  auto j = parse_untrusted_json(*text);
  if (!j.is_object()) {
    spdlog::debug("GITHUB_EVENT_PATH is not a JSON object");
    return ev;
  }
  if (auto* pr = at(j, {"pull_request"}); pr && pr->is_object()) {
    ev.pull_request = number_string(pr->value("number", json()));
    ev.head_sha = str_at(*pr, {"head", "sha"});
    auto head_repo = str_at(*pr, {"head", "repo", "full_name"});
    auto base_repo = str_at(*pr, {"base", "repo", "full_name"});
    // A deleted fork leaves head.repo null: still not ours to write to.
    ev.fork = head_repo.empty() ? !base_repo.empty() : !util::iequals(head_repo, base_repo);
  } else if (auto* issue = at(j, {"issue"}); issue && issue->is_object() && issue->contains("pull_request")) {
    ev.pull_request = number_string(issue->value("number", json()));  // issue_comment on a PR
  } else if (auto* prs = at(j, {"workflow_run", "pull_requests"}); prs && prs->is_array() && !prs->empty()) {
    // workflow_run: the safe way to comment on a PR from a privileged follow-up workflow.
    ev.pull_request = number_string((*prs)[0].value("number", json()));
    ev.head_sha = str_at(j, {"workflow_run", "head_sha"});
  }
  return ev;
}

model::Context detect_github(const Env& env) {
  model::Context c;
  c.platform = "github";
  c.server_url = trim_slash(env_get(env, "GITHUB_SERVER_URL"));
  if (c.server_url.empty()) c.server_url = "https://github.com";
  c.repository = env_get(env, "GITHUB_REPOSITORY");
  c.commit = env_get(env, "GITHUB_SHA");
  c.branch = env_get(env, "GITHUB_HEAD_REF");  // set only on pull_request events: the PR branch
  if (c.branch.empty()) c.branch = env_get(env, "GITHUB_REF_NAME");
  c.pull_request = read_github_event(env).pull_request;
  if (c.pull_request.empty()) {
    // refs/pull/123/merge: the event file is missing (act, a copied env) but the ref still tells.
    auto ref = env_get(env, "GITHUB_REF");
    if (ref.starts_with("refs/pull/")) {
      auto rest = ref.substr(10);
      auto slash = rest.find('/');
      auto n = rest.substr(0, slash);
      if (!n.empty() && n.find_first_not_of("0123456789") == std::string::npos) c.pull_request = n;
    }
  }
  if (auto id = env_get(env, "GITHUB_RUN_ID"); !id.empty() && !c.repository.empty())
    c.job_url = c.server_url + "/" + c.repository + "/actions/runs/" + id;
  // Workflow and job together: two workflows with a job called "scan" keep separate comments.
  auto workflow = env_get(env, "GITHUB_WORKFLOW");
  auto job = env_get(env, "GITHUB_JOB");
  c.job_name = workflow.empty() ? job : job.empty() ? workflow : workflow + "/" + job;
  return c;
}

CommentApi github_comments(const std::string& api_base, const std::string& repository, const std::string& pr) {
  CommentApi ep;
  const std::string repo = api_base + "/repos/" + repository;
  // PR conversation comments are issue comments; 100 is the largest page GitHub serves.
  ep.list_url = repo + "/issues/" + pr + "/comments?per_page=100";
  ep.create_url = repo + "/issues/" + pr + "/comments";
  ep.update_url = [repo](const std::string& id) { return repo + "/issues/comments/" + id; };
  ep.update_method = "PATCH";
  return ep;
}

}  // namespace dg::ci
