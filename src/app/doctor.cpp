// doctor: the CI platform, the API token and the configuration files.
#include <filesystem>
#include <nlohmann/json.hpp>

#include "adapters/ci/ci.hpp"
#include "adapters/ci/platforms.hpp"
#include "src/app/doctor.hpp"
#include "src/app/vex_file.hpp"
#include "src/app/waivers_file.hpp"
#include "src/util/token_like.hpp"

namespace dg::app::doctor {
namespace fs = std::filesystem;

namespace {

// The variables each platform's detection reads (adapters/ci/{github,gitlab,jenkins}.cpp).
const std::map<std::string, std::vector<std::string>>& platform_vars() {
  static const std::map<std::string, std::vector<std::string>> vars{
      {"github", {"GITHUB_ACTIONS", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF", "GITHUB_REF_NAME", "GITHUB_HEAD_REF",
                  "GITHUB_EVENT_PATH", "GITHUB_SERVER_URL", "GITHUB_API_URL", "GITHUB_RUN_ID", "GITHUB_JOB", "GITHUB_WORKFLOW"}},
      {"gitlab", {"GITLAB_CI", "CI_PROJECT_PATH", "CI_COMMIT_SHA", "CI_COMMIT_REF_NAME", "CI_MERGE_REQUEST_IID",
                  "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_SERVER_URL", "CI_PROJECT_URL", "CI_JOB_NAME", "CI_JOB_URL"}},
      {"jenkins", {"JENKINS_URL", "JENKINS_HOME", "BUILD_URL", "JOB_NAME", "GIT_URL", "GIT_COMMIT", "GIT_BRANCH",
                   "BRANCH_NAME", "CHANGE_ID", "CHANGE_BRANCH", "CHANGE_URL", "DOCKGATE_FORGE"}},
  };
  return vars;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::string waiver_summary(const fs::path& file, Check& c) {
  auto w = load_waivers(file);
  if (!w) {
    c.status = Status::Error;
    return w.error().to_string();
  }
  return "parses: " + std::to_string(w->size()) + " waiver(s)";
}

}  // namespace

std::vector<Check> check_ci(const Env& env) {
  auto ctx = ci::detect(env);
  std::vector<Check> out;
  Check p{"ci", "platform", Status::Ok, ctx.platform, false};
  if (ctx.platform == "local") {
    p.status = Status::Info;
    p.detail = "local: no CI platform variable (GITHUB_ACTIONS, GITLAB_CI, JENKINS_URL) is set";
  } else {
    std::vector<std::string> seen;
    for (auto& v : platform_vars().at(ctx.platform))
      if (!ci::env_get(env, v).empty()) seen.push_back(v);
    p.detail += " (from " + join(seen) + ")";
  }
  out.push_back(p);
  if (ctx.platform != "local") {
    auto field = [&](const std::string& name, const std::string& value, const std::string& hint) {
      out.push_back({"ci", name, value.empty() ? Status::Warn : Status::Ok, value.empty() ? "unknown (" + hint + ")" : value,
                     false});
    };
    field("repository", ctx.repository, "no comment can be published without it");
    field("commit", ctx.commit, "results will not name the commit");
    out.push_back({"ci", "pull request", Status::Info,
                   ctx.pull_request.empty() ? "none: not a PR/MR pipeline, nothing to comment on" : ctx.pull_request, false});
  }
  return out;
}

std::vector<Check> check_token(const Options& opt, const Env& env, util::HttpTransport& http) {
  auto ctx = ci::detect(env);
  std::string forge = ctx.platform;
  if (forge == "jenkins") forge = ci::jenkins_forge(env).kind;
  std::vector<std::string> names;
  if (!opt.token_env.empty()) names = {opt.token_env};
  else if (forge == "gitlab") names = {"GITLAB_TOKEN", "CI_JOB_TOKEN"};
  else names = {"GITHUB_TOKEN", "GH_TOKEN"};
  std::string name, token;
  for (auto& n : names)
    if (token = ci::env_get(env, n); !token.empty()) {
      name = n;
      break;
    }
  Check c{"token", name.empty() ? join(names) : name, Status::Ok, {}, !opt.token_env.empty()};
  if (token.empty()) {
    c.status = opt.token_env.empty() ? Status::Info : Status::Missing;
    c.detail = "not set: --publish cannot comment (the report still goes to the job summary and files)";
    return {c};
  }
  if (util::has_control_chars(token)) {  // publish refuses it unsent; so does doctor
    c.status = Status::Error;
    c.detail = "contains control characters (a line break, tab or similar; often a stray newline when the secret "
               "was pasted): fix the secret; it was not sent, and publishing refuses it";
    return {c};
  }
  c.detail = "set (its value is never shown)";
  if (forge != "github") {
    c.detail += forge == "gitlab" ? "; GitLab: not checked with a request" : "; the forge is unknown, not checked";
    return {c};
  }
  if (ctx.repository.empty() || opt.offline) {
    c.detail += opt.offline ? "; --offline: not checked" : "; no repository known (GITHUB_REPOSITORY), not checked";
    return {c};
  }
  // One request, no retries: GET /repos/{o}/{r} answers with this token's permissions on it.
  util::HttpRequest req;
  req.url = ci::github_api_base(env, ctx.server_url) + "/repos/" + ctx.repository;
  req.headers = {{"Authorization", "Bearer " + token},
                 {"Accept", "application/vnd.github+json"},
                 {"X-GitHub-Api-Version", "2022-11-28"},
                 {"User-Agent", "dockgate/" DOCKGATE_VERSION}};
  req.timeout_s = 15;
  req.max_body = ci::kMaxApiBody;
  auto r = http.send(req);
  std::string what = "GET /repos/" + ctx.repository;
  if (r.status == 0) {
    c.status = Status::Warn;
    c.detail += "; " + what + " failed: " + util::redact(r.error, {token});
  } else if (r.status == 401) {
    c.status = Status::Error;
    c.detail += "; " + what + ": 401, the token is not valid";
  } else if (r.status == 403 || r.status == 404) {
    c.status = Status::Warn;
    c.detail += "; " + what + ": " + std::to_string(r.status) + ", the token cannot see this repository";
  } else if (r.status / 100 != 2) {
    c.status = Status::Warn;
    c.detail += "; " + what + ": HTTP " + std::to_string(r.status);
  } else {
    auto j = ci::parse_untrusted_json(r.body);
    std::vector<std::string> granted;
    if (j.is_object() && j.contains("permissions") && j["permissions"].is_object())
      for (auto& [k, v] : j["permissions"].items())
        if (v.is_boolean() && v.get<bool>()) granted.push_back(k);
    c.detail += "; " + what + ": 200";
    if (granted.empty()) {
      // Installation tokens (GITHUB_TOKEN in Actions) get no permissions object: the workflow's
      // permissions: block decides.
      c.detail += ", no permissions listed (a workflow token: pull-requests: write lets it comment)";
    } else {
      bool push = std::find(granted.begin(), granted.end(), "push") != granted.end();
      c.detail += ", permissions: " + join(granted) + (push ? "; can comment" : "; read-only: cannot comment");
      if (!push) c.status = Status::Warn;
    }
  }
  return {c};
}

std::vector<Check> check_config(const Options& opt, const Env& env, Config& cfg, bool& loaded) {
  std::vector<Check> out;
  fs::path file = opt.config;
  std::string from = "--config";
  if (file.empty()) {
    if (auto v = ci::env_get(env, "DOCKGATE_CONFIG"); !v.empty()) {
      file = v;
      from = "DOCKGATE_CONFIG";
    } else if (fs::exists("dockgate.yml")) {
      file = "dockgate.yml";
      from = "the current directory";
    }
  }
  loaded = false;
  if (file.empty()) {
    out.push_back({"config", "dockgate.yml", Status::Info, "none in the current directory: defaults apply", false});
  } else if (!fs::exists(file)) {
    out.push_back({"config", file.string(), Status::Missing, "named by " + from + " but not there", true});
  } else if (auto c = load_config(file, env); !c) {
    out.push_back({"config", file.string(), Status::Error, c.error().to_string(), true});
  } else {
    cfg = std::move(*c);
    loaded = true;
    std::vector<std::string> steps;
    if (cfg.lint.configured) steps.push_back("lint");
    if (cfg.trivy.configured) steps.push_back("trivy");
    if (cfg.grype.configured) steps.push_back("grype");
    if (cfg.bandit.configured) steps.push_back("bandit");
    if (cfg.smoke.configured) steps.push_back("smoke-test");
    if (cfg.size.configured) steps.push_back("image-size");
    out.push_back({"config", file.string(), Status::Ok,
                   "parses (from " + from + "); steps: " + (steps.empty() ? "none" : join(steps)), true});
  }
  if (!loaded) cfg = Config{};

  // What the steps read from the repository or from earlier jobs.
  if (loaded && cfg.lint.configured && cfg.lint.report.empty())
    out.push_back({"config", cfg.dockerfile, fs::exists(cfg.dockerfile) ? Status::Ok : Status::Missing,
                   fs::exists(cfg.dockerfile) ? "the Dockerfile lint reads" : "the Dockerfile lint reads is not there", true});
  for (const steps::ToolStep* t : std::initializer_list<const steps::ToolStep*>{&cfg.lint, &cfg.trivy, &cfg.grype, &cfg.bandit})
    if (loaded && t->configured && !t->report.empty())
      out.push_back({"config", t->report, fs::exists(t->report) ? Status::Ok : Status::Info,
                     fs::exists(t->report) ? "a report to ingest" : "a report to ingest, not there yet (an earlier job writes it?)",
                     false});

  // Waivers: the configured file must parse; the usual names found beside it are checked too.
  if (!cfg.waivers.empty()) {
    Check w{"config", cfg.waivers, Status::Ok, {}, true};
    if (!fs::exists(cfg.waivers)) {
      w.status = Status::Missing;
      w.detail = "waivers: names it, but it is not there";
    } else {
      w.detail = waiver_summary(cfg.waivers, w);
    }
    out.push_back(w);
  }
  for (const char* name : {".dockgate-waivers.yml", ".trivyignore", ".trivyignore.yaml", ".grype.yaml"}) {
    if (!fs::exists(name) || fs::path(name) == fs::path(cfg.waivers)) continue;
    Check w{"config", name, Status::Ok, {}, false};
    w.detail = waiver_summary(name, w) + " (not used: set waivers: or --waivers)";
    if (w.status == Status::Error) w.status = Status::Warn;
    out.push_back(w);
  }
  // VEX documents: a bad one stops every gate with exit 3, so say it before the pipeline runs.
  for (auto& file : cfg.vex) {
    Check v{"config", file, Status::Ok, {}, true};
    if (!fs::exists(file)) {
      v.status = Status::Missing;
      v.detail = "vex: names it, but it is not there";
    } else if (auto st = load_vex(file); !st) {
      v.status = Status::Error;
      v.detail = st.error().to_string();
    } else {
      v.detail = "parses: " + std::to_string(st->size()) + " VEX statement(s)";
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace dg::app::doctor
