// Jenkins: the build runs on Jenkins but a multibranch PR lives on GitHub or GitLab; CHANGE_URL
// (or GIT_URL) says which, and where.
#include "adapters/ci/platforms.hpp"
#include "src/util/text.hpp"

namespace dg::ci {

namespace {

struct SplitUrl {
  std::string server;  // https://host[:port]
  std::string host;    // lowercased, no port
  std::string path;    // without leading/trailing slashes
};

// https://host/path, ssh://git@host:22/path, git@host:path (scp-like). Credentials are dropped.
SplitUrl split_url(std::string_view url) {
  SplitUrl s;
  std::string_view rest = url;
  bool web = false;
  if (auto p = rest.find("://"); p != std::string_view::npos) {
    auto scheme = util::to_lower(rest.substr(0, p));
    web = scheme == "http" || scheme == "https";
    rest.remove_prefix(p + 3);
    auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    std::string_view host = authority;
    if (auto colon = host.find(':'); colon != std::string_view::npos) host = host.substr(0, colon);
    s.host = util::to_lower(host);
    // An ssh port is not the web port: the web UI is assumed on https.
    s.server = web ? scheme + "://" + util::to_lower(authority) : "https://" + s.host;
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  } else if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    std::string_view authority = rest.substr(0, colon);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    s.host = util::to_lower(authority);
    s.server = "https://" + s.host;
    rest.remove_prefix(colon + 1);
  } else {
    return s;
  }
  if (auto q = rest.find_first_of("?#"); q != std::string_view::npos) rest = rest.substr(0, q);
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.ends_with(".git")) rest.remove_suffix(4);
  s.path = std::string(rest);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

Forge forge_from_url(std::string_view url) {
  Forge f;
  auto s = split_url(util::trim(url));
  if (s.server.empty() || s.path.empty()) return f;
  f.server_url = s.server;
  auto parts = util::split(s.path, '/');
  // GitLab MR: group/sub/project/-/merge_requests/7 (older: group/project/merge_requests/7).
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] != "merge_requests" || !all_digits(parts[i + 1])) continue;
    std::size_t end = i > 0 && parts[i - 1] == "-" ? i - 1 : i;
    if (end == 0) break;
    f.kind = "gitlab";
    for (std::size_t k = 0; k < end; ++k) f.repository += (k ? "/" : "") + parts[k];
    return f;
  }
  // GitHub PR: owner/repo/pull/7.
  if (parts.size() >= 4 && parts[2] == "pull" && all_digits(parts[3])) {
    f.kind = "github";
    f.repository = parts[0] + "/" + parts[1];
    return f;
  }
  // A clone URL: the host may tell.
  f.repository = s.path;
  if (s.host.find("github") != std::string::npos) f.kind = "github";
  else if (s.host.find("gitlab") != std::string::npos) f.kind = "gitlab";
  return f;
}

Forge jenkins_forge(const Env& env) {
  Forge change = forge_from_url(env_get(env, "CHANGE_URL"));
  Forge git = forge_from_url(env_get(env, "GIT_URL"));
  Forge f = !change.kind.empty() ? change : !git.kind.empty() ? git : !change.server_url.empty() ? change : git;
  // Self-hosted forges on hostnames that say nothing, with no CHANGE_URL: let the user tell.
  if (auto forced = util::to_lower(env_get(env, "DOCKGATE_FORGE")); forced == "github" || forced == "gitlab")
    f.kind = forced;
  return f;
}

model::Context detect_jenkins(const Env& env) {
  model::Context c;
  c.platform = "jenkins";
  auto forge = jenkins_forge(env);
  c.server_url = forge.server_url;  // where the repository lives; the build itself is job_url
  c.repository = forge.repository;
  c.commit = env_get(env, "GIT_COMMIT");
  c.branch = env_get(env, "CHANGE_BRANCH");  // PR builds: the source branch
  if (c.branch.empty()) c.branch = env_get(env, "BRANCH_NAME");
  if (c.branch.empty()) {
    c.branch = env_get(env, "GIT_BRANCH");
    if (c.branch.starts_with("origin/")) c.branch.erase(0, 7);
  }
  c.pull_request = env_get(env, "CHANGE_ID");
  c.job_url = env_get(env, "BUILD_URL");
  c.job_name = env_get(env, "JOB_NAME");
  return c;
}

}  // namespace dg::ci
