#pragma once
// What the platform adapters share inside adapters/ci: detection per platform, where a Jenkins
// PR lives, and the sticky-comment flow every forge follows (list, find marker, update or create).
#include <functional>
#include <string>

#include "adapters/ci/api.hpp"
#include "adapters/ci/ci.hpp"

namespace dg::ci {

// An environment value; an empty variable counts as unset (CI systems export empty ones).
std::string env_get(const Env& env, const std::string& name);

model::Context detect_github(const Env& env);  // github.cpp
model::Context detect_gitlab(const Env& env);  // gitlab.cpp
model::Context detect_jenkins(const Env& env); // jenkins.cpp

// What GITHUB_EVENT_PATH says about the pull request this run is for.
struct GitHubEvent {
  std::string pull_request;  // number, "" outside a PR
  std::string head_sha;      // the PR head (GITHUB_SHA is the merge commit)
  bool fork = false;         // head repository differs from the base: the token is read-only
};
GitHubEvent read_github_event(const Env& env);

// API roots. GitHub Enterprise Server: SERVER/api/v3; GitLab: SERVER/api/v4. The env overrides
// (GITHUB_API_URL, CI_API_V4_URL / GITLAB_API_URL) win.
std::string github_api_base(const Env& env, const std::string& server_url);
std::string gitlab_api_base(const Env& env, const std::string& server_url);

// Where a Jenkins multibranch PR lives, from CHANGE_URL (preferred) or GIT_URL.
struct Forge {
  std::string kind;        // github | gitlab | "" when the URL does not tell
  std::string server_url;  // https://github.com, https://gitlab.example.com
  std::string repository;  // owner/name, group/subgroup/project
};
Forge forge_from_url(std::string_view url);  // jenkins.cpp
Forge jenkins_forge(const Env& env);

// One forge's comment endpoints.
struct CommentApi {
  std::string list_url;                                  // first page, with per_page
  std::string create_url;
  std::function<std::string(const std::string& id)> update_url;
  std::string update_method;                             // PATCH (GitHub) | PUT (GitLab)
  bool skip_system_notes = false;                        // GitLab: system notes are never ours
  int max_pages = 100;
};

struct Upsert {
  std::string action;  // created | updated | denied
  std::string id;
  std::string url;     // html_url when the forge returns one
  std::string denial;  // the error text of a 403/404 (redacted)
};

// Lists every page, finds the comment that contains `marker`, then updates it or creates one.
// 401 is a Step error that says the token is wrong; 403/404 come back as `denied` so the caller
// can degrade; anything else that is not 2xx is a Step error naming the request.
util::Expected<Upsert> upsert_comment(ApiClient& api, const CommentApi& ep, const std::string& body,
                                      const std::string& marker);

// A request body {"body": text} — the shape both forges document.
std::string body_json(const std::string& text);

// The comment endpoints of a GitHub PR and of a GitLab MR (`project` = numeric id or path).
CommentApi github_comments(const std::string& api_base, const std::string& repository, const std::string& pr);
CommentApi gitlab_notes(const std::string& api_base, const std::string& project, const std::string& iid);

// A GitHub check run: created in progress, then completed with annotations in batches of 50.
struct CheckRun {
  std::string name;
  std::string head_sha;
  std::string details_url;
  std::string summary;  // Markdown, at most 65,535 characters
  std::size_t max_annotations = 1000;
};
struct CheckRunResult {
  bool denied = false;
  std::string denial;  // the 403/404, redacted
  std::string url;
  std::size_t annotations = 0;
  int requests = 0;
};
util::Expected<CheckRunResult> github_check_run(ApiClient& api, const std::string& repository,
                                                const model::Run& run, const CheckRun& spec);

std::string trim_slash(std::string s);

// Where an inline review goes (review.cpp): the PR/MR and the run's commit.
struct ReviewTarget {
  std::string repository;  // owner/name
  std::string project;     // GitLab: numeric id or url-encoded path
  std::string number;      // PR number / MR iid
  std::string head_sha;    // the PR head: GitHub anchors comments on it, "fixed in" names it
  std::string graphql_url; // GitHub: where resolveReviewThread goes
  std::string key;         // comment key: two pipelines' reviews on one PR stay apart
};
struct ReviewResult {
  bool denied = false;
  std::string denial;      // the 403/404, redacted
  std::size_t posted = 0, resolved = 0, marked_fixed = 0;
  report::ReviewPlan plan;
  std::string line() const;  // "3 review comments posted, 1 resolved, …"
};
util::Expected<ReviewResult> github_review(ApiClient& api, const ReviewTarget& t, const model::Run& run,
                                           const PublishOptions::Review& opt);
util::Expected<ReviewResult> gitlab_review(ApiClient& api, const ReviewTarget& t, const model::Run& run,
                                           const PublishOptions::Review& opt, const Env& env);
// The change's diff as the forge has it (GitHub: the PR's files and their patches; GitLab: the MR's
// diffs), for a checkout without the base commit. Paths are the repository's: the source root is
// taken to be its top. A denied list comes back as an error too: the caller warns and goes on.
util::Expected<report::Diff> forge_diff(ApiClient& api, const std::string& forge, const ReviewTarget& t);
// GitHub's GraphQL endpoint beside the REST root: https://api.github.com/graphql, or
// SERVER/api/graphql on Enterprise Server (REST is SERVER/api/v3). GITHUB_GRAPHQL_URL wins.
std::string github_graphql_url(const Env& env, const std::string& api_base);

}  // namespace dg::ci
