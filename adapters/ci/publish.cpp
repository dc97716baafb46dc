// Publishing: decide where the comment goes, with which token, and what to do when the forge
// says no. The gate's verdict is never changed by publishing; only a broken setup (bad token,
// unreachable API) is an error.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "adapters/ci/platforms.hpp"
#include "src/report/writers.hpp"
#include "src/util/file.hpp"
#include "src/util/log.hpp"
#include "src/util/token_like.hpp"

namespace dg::ci {

namespace {

constexpr std::size_t kGitHubCommentMax = 65536;
constexpr std::size_t kGitLabNoteMax = 1000000;
constexpr std::size_t kStepSummaryMax = 1024 * 1024 - 1024;  // GitHub: 1 MiB per step

// Where the comment goes.
struct Target {
  std::string forge;  // github | gitlab
  std::string api_base;
  std::string server_url;
  std::string repository;
  std::string project;  // GitLab: numeric id or url-encoded path
  std::string number;   // PR number / MR iid
  std::string head_sha;
  std::string job_url;
  bool fork = false;
};

struct Auth {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string token;
};

bool valid_env_name(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

util::Expected<Auth> resolve_auth(const std::string& forge, const PublishOptions& opt, const Env& env) {
  Auth a;
  const std::string ua = "dockgate/" DOCKGATE_VERSION;
  std::string header;
  if (!opt.token_env.empty()) {
    // A token pasted here would sit in argv (visible to every process) and now in our error text.
    if (!valid_env_name(opt.token_env))
      return util::fail(util::ErrorKind::Usage,
                        "--token-env takes the NAME of an environment variable (like GITHUB_TOKEN), not a token");
    a.token = env_get(env, opt.token_env);
    if (a.token.empty()) {
      // A pasted token can also be a valid variable name (ghp_AbCd…): never echo one.
      if (util::looks_like_token(opt.token_env))
        return util::fail(util::ErrorKind::Usage,
                          "--token-env takes the NAME of an environment variable (like GITHUB_TOKEN); the value given "
                          "looks like a token, so it is not repeated here (revoke it if it was exposed)");
      return util::fail(util::ErrorKind::Usage, "--token-env " + opt.token_env + ": the variable is not set or empty");
    }
    header = forge == "github" ? "Authorization" : "PRIVATE-TOKEN";
  } else if (forge == "github") {
    for (const char* name : {"GITHUB_TOKEN", "GH_TOKEN"})
      if (a.token = env_get(env, name); !a.token.empty()) break;
    header = "Authorization";
  } else {
    a.token = env_get(env, "GITLAB_TOKEN");
    header = "PRIVATE-TOKEN";
    if (a.token.empty()) {
      // The job token can read MRs everywhere, and write notes only where the project allows it.
      a.token = env_get(env, "CI_JOB_TOKEN");
      header = "JOB-TOKEN";
    }
  }
  if (a.token.empty())
    return util::fail(util::ErrorKind::Usage,
                      forge == "github"
                          ? "no GitHub token: set GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}) or --token-env NAME"
                          : "no GitLab token: set GITLAB_TOKEN (a project access token with api scope) or --token-env NAME");
  // A control character would end the header line early: a CR/LF in the token injects headers
  // of its own, and the part after it escapes redaction. Refused, and never echoed.
  if (util::has_control_chars(a.token))
    return util::fail(util::ErrorKind::Usage,
                      "the API token contains control characters (a line break, tab or similar; often a stray "
                      "newline when the secret was pasted): fix the secret; it was not sent");
  if (header == "Authorization") {
    a.headers = {{"Authorization", "Bearer " + a.token},
                 {"Accept", "application/vnd.github+json"},
                 {"X-GitHub-Api-Version", "2022-11-28"},
                 {"User-Agent", ua}};
  } else {
    a.headers = {{header, a.token}, {"Accept", "application/json"}, {"User-Agent", ua}};
  }
  return a;
}

// Keys end up inside an HTML comment: the same characters the Markdown writer keeps, so a
// fallback marker matches one the writer placed on an earlier run.
std::string safe_key(const std::string& key) {
  std::string out;
  for (unsigned char c : key) {
    bool keep = std::isalnum(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
    char put = keep ? static_cast<char>(c) : '-';
    if (put == '-' && !out.empty() && out.back() == '-') continue;
    out += put;
  }
  return out.empty() ? "default" : out;
}

struct Comment {
  std::string body;
  std::string marker;
};

Comment render(const model::Run& run, const std::string& key, std::size_t max_chars) {
  report::MarkdownOptions md;
  md.marker_key = key;
  const std::string fallback_marker = "<!-- dockgate:" + safe_key(key) + " -->";
  md.max_chars = max_chars - fallback_marker.size() - 1;
  Comment c;
  c.body = report::write_markdown(run, md);
  // The writer places the marker; find it as written so lookups match what was posted before.
  if (auto b = c.body.find("<!-- dockgate:"); b != std::string::npos) {
    if (auto e = c.body.find("-->", b); e != std::string::npos) c.marker = c.body.substr(b, e + 3 - b);
  }
  if (c.marker.empty()) {
    c.marker = fallback_marker;
    if (c.body.empty())
      c.body = "**dockgate**: verdict **" + std::string(model::to_string(run.verdict)) + "**\n";
    c.body = c.marker + "\n" + c.body;
  }
  return c;
}

// Jenkins without a PR: files the Jenkinsfile's junit and recordIssues steps pick up.
util::Expected<PublishOutcome> write_jenkins_files(const model::Run& run, const PublishOptions& opt,
                                                   PublishOutcome out) {
  namespace fs = std::filesystem;
  fs::path dir = opt.out_dir.empty() ? fs::path(".") : fs::path(opt.out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return util::fail(util::ErrorKind::Step, "cannot create " + dir.string() + ": " + ec.message());
  auto junit = dir / "dockgate-junit.xml";
  auto sarif = dir / "dockgate.sarif";
  if (auto r = util::write_file_atomic(junit, report::write_junit(run)); !r) return std::unexpected(r.error());
  if (auto r = util::write_file_atomic(sarif, report::write_sarif(run)); !r) return std::unexpected(r.error());
  out.action = out.action.empty() ? "written" : out.action;
  out.detail = "wrote " + junit.string() + " and " + sarif.string() + ": record them with junit '" + junit.string() +
               "' and recordIssues(tools: [sarif(pattern: '" + sarif.string() + "')])";
  return out;
}

// The forge said no (fork PR, read-only or job token): the report goes where the reader of the
// job still sees it, and the job's exit code stays what the gate decided.
PublishOutcome degrade(const model::Run& run, const PublishOptions& opt, const Env& env, const Target& t,
                       const std::string& why, PublishOutcome out) {
  std::string where;
  report::MarkdownOptions md;
  md.with_marker = false;
  md.max_chars = kStepSummaryMax;
  auto summary = env_get(env, "GITHUB_STEP_SUMMARY");
  if (t.forge == "github" && !summary.empty()) {
    if (opt.summary_written) {
      where = "the job summary";
    } else if (auto r = util::append_file(summary, report::write_markdown(run, md)); r) {
      where = "the job summary";
    } else {
      where = "nowhere (" + r.error().to_string() + ")";
    }
  } else {
    auto file = std::filesystem::path(opt.out_dir.empty() ? "." : opt.out_dir) / "dockgate-comment.md";
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (auto r = util::write_file_atomic(file, report::write_markdown(run, md)); r) where = file.string();
    else where = "nowhere (" + r.error().to_string() + ")";
  }
  std::string reason = t.fork ? "a fork PR gets a read-only token" : "the token may not write comments here";
  std::string msg = "cannot comment on " + t.repository + (t.forge == "gitlab" ? "!" : "#") + t.number + " (" +
                    reason + "): " + why + "; the report is in " + where + " instead";
  spdlog::warn("{}", msg);
  out.action = "degraded";
  out.detail = msg;
  out.warnings.push_back(msg);
  return out;
}

// Findings that would have been review comments, as workflow-command annotations: what a fork
// PR's read-only token can still put on the diff.
std::string review_annotations(const model::Run& run, const report::ReviewPlan& plan) {
  model::Run only = run;
  std::set<std::string> keep;
  for (auto& c : plan.comments) keep.insert(c.fingerprint);
  for (auto& s : only.steps)
    std::erase_if(s.findings, [&](const model::Finding& f) { return !keep.count(f.fingerprint); });
  return report::write_annotations(only);
}

util::Expected<void> review(const model::Run& run, const PublishOptions& opt, const Env& env, const Target& t,
                            const std::string& key, ApiClient& api, bool comment_denied, PublishOutcome& out) {
  auto warn = [&](std::string msg) {
    spdlog::warn("{}", msg);
    out.warnings.push_back(msg);
    out.review = std::move(msg);
  };
  ReviewTarget rt;
  rt.repository = t.repository;
  rt.project = t.project;
  rt.number = t.number;
  rt.head_sha = t.head_sha;
  rt.graphql_url = github_graphql_url(env, t.api_base);
  rt.key = safe_key(key);
  PublishOptions::Review ropt = opt.review;
  if (!ropt.diff) {
    // A shallow checkout has no base to diff against: the forge has the diff.
    auto d = forge_diff(api, t.forge, rt);
    if (!d) {
      warn("no inline review: " + (ropt.no_diff.empty() ? std::string("no diff") : ropt.no_diff) +
           "; the diff from the API failed too: " + d.error().message);
      return {};
    }
    spdlog::info("review: the diff comes from the API ({})", ropt.no_diff);
    ropt.diff = std::move(*d);
  }
  if (!ropt.diff) {
    warn("no inline review: " + (ropt.no_diff.empty() ? std::string("no diff") : ropt.no_diff));
    return {};
  }
  ReviewResult res;
  if (comment_denied) {
    // The token could not write the summary comment: it cannot review either. Plan only.
    res.denied = true;
    res.denial = "the token may not write to this pull request";
    res.plan = report::plan_review(run, *ropt.diff, ropt.filter, ropt.max_comments, {}, rt.key);
  } else {
    auto r = t.forge == "github" ? github_review(api, rt, run, ropt) : gitlab_review(api, rt, run, ropt, env);
    if (!r) return std::unexpected(r.error());
    res = std::move(*r);
  }
  if (res.denied) {
    if (t.forge == "github") out.annotations = review_annotations(run, res.plan);
    warn("no inline review on " + t.repository + (t.forge == "gitlab" ? "!" : "#") + t.number + " (" +
         (t.fork ? "a fork PR gets a read-only token" : "the token may not review here") + "): " + res.denial +
         (t.forge == "github" ? "; the findings are annotations instead" : "; the findings stay in the summary"));
    return {};
  }
  out.review = res.line();  // the caller prints it
  return {};
}

}  // namespace

util::Expected<PublishOutcome> publish(const model::Run& run, const PublishOptions& opt, const Env& env) {
  auto http = util::make_curl_transport();
  return publish(run, opt, env, *http);
}

util::Expected<PublishOutcome> publish(const model::Run& run, const PublishOptions& opt, const Env& env,
                                       util::HttpTransport& http, const RetryPolicy& retry) {
  PublishOutcome out;
  std::string platform = opt.platform.empty() ? "auto" : opt.platform;
  model::Context ctx = platform == "auto"     ? detect(env)
                       : platform == "github" ? detect_github(env)
                       : platform == "gitlab" ? detect_gitlab(env)
                       : platform == "jenkins" ? detect_jenkins(env)
                                               : model::Context{};
  if (ctx.platform.empty())
    return util::fail(util::ErrorKind::Usage, "unknown platform '" + platform + "' (auto|github|gitlab|jenkins)");
  // A result made by another job of the same pipeline (merge) fills what this job's env lacks.
  if (run.context.platform == ctx.platform) {
    auto fill = [](std::string& mine, const std::string& theirs) {
      if (mine.empty()) mine = theirs;
    };
    fill(ctx.repository, run.context.repository);
    fill(ctx.pull_request, run.context.pull_request);
    fill(ctx.commit, run.context.commit);
    fill(ctx.server_url, run.context.server_url);
    fill(ctx.job_name, run.context.job_name);
    fill(ctx.job_url, run.context.job_url);
  }
  if (ctx.platform == "local") {
    out.action = "skipped";
    out.detail = "not in a CI job (no GITHUB_ACTIONS, GITLAB_CI or JENKINS_URL): nothing to publish; use --platform";
    return out;
  }
  const std::string key = !opt.marker_key.empty() ? opt.marker_key : !ctx.job_name.empty() ? ctx.job_name : "default";

  Target t;
  t.server_url = ctx.server_url;
  t.repository = ctx.repository;
  t.number = ctx.pull_request;
  t.head_sha = ctx.commit;
  t.job_url = ctx.job_url;
  if (ctx.platform == "jenkins") {
    if (t.number.empty()) return write_jenkins_files(run, opt, out);
    auto forge = jenkins_forge(env);
    if (forge.kind.empty()) {
      std::string msg = "cannot tell whether this PR lives on GitHub or GitLab from CHANGE_URL/GIT_URL "
                        "(set DOCKGATE_FORGE=github|gitlab)";
      spdlog::warn("{}", msg);
      out.warnings.push_back(msg);
      out.action = "degraded";
      return write_jenkins_files(run, opt, out);
    }
    t.forge = forge.kind;
    t.api_base = forge.kind == "github" ? github_api_base(env, forge.server_url) : gitlab_api_base(env, forge.server_url);
    t.project = url_encode(t.repository);
  } else if (ctx.platform == "github") {
    t.forge = "github";
    t.api_base = github_api_base(env, ctx.server_url);
    auto ev = read_github_event(env);
    t.fork = ev.fork;
    if (!ev.head_sha.empty()) t.head_sha = ev.head_sha;  // check runs attach to the PR head, not the merge commit
  } else {
    t.forge = "gitlab";
    t.api_base = gitlab_api_base(env, ctx.server_url);
    auto id = env_get(env, "CI_PROJECT_ID");
    t.project = !id.empty() && env_get(env, "CI_PROJECT_PATH") == t.repository ? id : url_encode(t.repository);
  }
  if (t.repository.empty())
    return util::fail(util::ErrorKind::Usage,
                      t.forge == "github"   ? "GITHUB_REPOSITORY is not set: cannot tell which repository to comment on"
                      : t.forge == "gitlab" && ctx.platform == "gitlab"
                          ? "CI_PROJECT_PATH is not set: cannot tell which project to comment on"
                          : "CHANGE_URL/GIT_URL name no repository: cannot tell where to comment");

  auto comment = render(run, key, t.forge == "github" ? kGitHubCommentMax : kGitLabNoteMax);
  out.body = comment.body;
  CommentApi ep = t.forge == "github" ? github_comments(t.api_base, t.repository, t.number)
                                      : gitlab_notes(t.api_base, t.project, t.number);
  const bool want_check = opt.check_run && t.forge == "github" && !t.head_sha.empty();
  if (opt.check_run && t.forge != "github") spdlog::warn("--check-run is GitHub only; ignored on {}", t.forge);

  if (opt.dry_run) {
    out.action = "skipped";
    out.detail = t.number.empty() ? "dry run: not a pull request, no comment"
                                  : "dry run: would create or update the comment marked " + comment.marker + " via " +
                                        path_of(ep.create_url);
    if (opt.review.enabled && opt.review.diff && !t.number.empty()) {
      auto plan = report::plan_review(run, *opt.review.diff, opt.review.filter, opt.review.max_comments, {},
                                      safe_key(key));
      out.review = "dry run: would review with " + std::to_string(plan.comments.size()) + " comments";
    }
    return out;
  }
  if (t.number.empty() && !want_check) {
    out.action = "skipped";
    out.detail = "not a pull/merge request build: no comment to post";
    return out;
  }

  auto auth = resolve_auth(t.forge, opt, env);
  if (!auth) return std::unexpected(auth.error());
  ApiClient api(http, retry, t.forge == "github" ? "GitHub" : "GitLab", t.api_base, auth->headers, {auth->token});

  if (!t.number.empty()) {
    auto up = upsert_comment(api, ep, comment.body, comment.marker);
    if (!up) return std::unexpected(up.error());
    if (up->action == "denied") {
      out = degrade(run, opt, env, t, up->denial, std::move(out));
    } else {
      out.action = up->action;
      out.detail = up->url;
      if (out.detail.empty() && t.forge == "gitlab" && !t.server_url.empty())
        out.detail = t.server_url + "/" + t.repository + "/-/merge_requests/" + t.number + "#note_" + up->id;
    }
  } else {
    out.action = "skipped";
    out.detail = "not a pull request build: no comment";
  }

  if (opt.review.enabled && t.number.empty()) out.review = "no inline review: not a pull/merge request build";
  if (opt.review.enabled && !t.number.empty()) {
    // The summary comment is posted and has every finding: a review that fails is said, not fatal.
    if (auto r = review(run, opt, env, t, key, api, out.action == "degraded", out); !r) {
      std::string msg = "the inline review failed: " + r.error().message + " (the summary comment has every finding)";
      spdlog::warn("{}", msg);
      out.warnings.push_back(msg);
      out.review = msg;
    }
  }

  if (want_check) {
    CheckRun spec;
    spec.name = key == "default" ? "dockgate" : "dockgate (" + key + ")";
    spec.head_sha = t.head_sha;
    spec.details_url = t.job_url;
    report::MarkdownOptions md;
    md.with_marker = false;
    md.max_chars = 65535;
    spec.summary = report::write_markdown(run, md);
    auto cr = github_check_run(api, t.repository, run, spec);
    if (!cr) return std::unexpected(cr.error());
    if (cr->denied) {
      std::string msg = "no check run: " + cr->denial;
      spdlog::warn("{}", msg);
      out.warnings.push_back(msg);
    } else {
      out.detail += (out.detail.empty() ? "" : "; ") + std::string("check run ") +
                    (cr->url.empty() ? "completed" : cr->url) + " (" + std::to_string(cr->annotations) + " annotations)";
    }
  }
  return out;
}

}  // namespace dg::ci
