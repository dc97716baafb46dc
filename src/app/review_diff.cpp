#include "src/app/review_diff.hpp"

#include "src/util/process.hpp"
#include "src/util/text.hpp"

namespace dg::app {

namespace {

constexpr std::size_t kMaxDiff = 256u << 20;  // run_process keeps the tail of more: refused instead

std::string env_value(const Env& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? std::string{} : util::trim(it->second);
}

util::Expected<util::ProcessResult> git(const std::string& root, std::vector<std::string> args) {
  util::ProcessSpec spec;
  // Never the user's pager, colors, external diff drivers or prefix settings: output we parse.
  spec.argv = {"git", "-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "color.ui=false"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = root;
  spec.timeout = std::chrono::milliseconds(120'000);
  spec.max_output = kMaxDiff;
  spec.env_extra = {{"GIT_PAGER", "cat"}, {"LC_ALL", "C"}};
  auto r = util::run_process(spec);
  if (r && r->not_found) return util::fail(util::ErrorKind::Step, "git is not installed: no diff for the review");
  return r;
}

}  // namespace

std::vector<std::string> review_base_candidates(const std::string& flag, const Env& env) {
  if (!flag.empty()) return {flag};
  if (auto b = env_value(env, "GITHUB_BASE_REF"); !b.empty()) return {"origin/" + b, b};
  if (auto b = env_value(env, "CI_MERGE_REQUEST_DIFF_BASE_SHA"); !b.empty()) return {b};
  if (auto b = env_value(env, "CHANGE_TARGET"); !b.empty()) return {"origin/" + b, b};
  return {};
}

util::Expected<report::Diff> load_review_diff(const std::string& root, const std::string& base_flag, const Env& env) {
  auto bases = review_base_candidates(base_flag, env);
  if (bases.empty())
    return util::fail(util::ErrorKind::Step,
                      "no base to diff against: pass --review-base REF (or run where GITHUB_BASE_REF, "
                      "CI_MERGE_REQUEST_DIFF_BASE_SHA or CHANGE_TARGET is set)");
  std::string base;
  for (auto& b : bases) {
    // A ref that starts with '-' would be an option to git: never one of ours.
    if (b.empty() || b[0] == '-') continue;
    auto r = git(root, {"rev-parse", "--verify", "--quiet", b + "^{commit}"});
    if (!r) return std::unexpected(r.error());
    if (r->exit_code == 0) {
      base = b;
      break;
    }
  }
  if (base.empty())
    return util::fail(util::ErrorKind::Step,
                      "the review base " + bases.front() + " is not in this checkout (a shallow clone? fetch it, e.g. "
                      "actions/checkout with fetch-depth: 0)");
  auto prefix = git(root, {"rev-parse", "--show-prefix"});
  if (!prefix) return std::unexpected(prefix.error());
  if (prefix->exit_code != 0)
    return util::fail(util::ErrorKind::Step, root + " is not in a git checkout: " + util::trim(prefix->err));
  auto diff = git(root, {"diff", "--no-color", "--no-ext-diff", "--no-textconv", "--src-prefix=a/", "--dst-prefix=b/",
                         // Three lines of context, as the forges diff: a comment may sit on any hunk line.
                         "-U3", "--merge-base", base, "HEAD", "--"});
  if (!diff) return std::unexpected(diff.error());
  if (diff->exit_code != 0)
    return util::fail(util::ErrorKind::Step, "git diff --merge-base " + base + " HEAD failed: " + util::trim(diff->err));
  if (diff->out.size() >= kMaxDiff)
    return util::fail(util::ErrorKind::Step, "the diff against " + base + " is over 256 MB: no inline review");
  auto d = report::parse_git_diff(diff->out);
  if (!d) return d;
  d->prefix = util::trim(prefix->out);
  return d;
}

void add_review_options(CLI::App* cmd, bool& review, std::string& filter_mode, std::size_t& max_comments,
                        std::string& base) {
  cmd->add_flag("--review", review,
                "Also review the PR/MR: findings on changed lines become inline comments, resolved when fixed "
                "(implies --publish)");
  cmd->add_option("--filter-mode", filter_mode, "Which findings --review comments on: added|diff_context|file|nofilter")
      ->check(CLI::IsMember({"added", "diff_context", "file", "nofilter"}));
  cmd->add_option("--max-review-comments", max_comments, "New review comments per run at most; the rest stay in the "
                                                          "summary comment (default 50)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}));
  cmd->add_option("--review-base", base,
                  "The ref --review diffs against (default: GITHUB_BASE_REF, CI_MERGE_REQUEST_DIFF_BASE_SHA, "
                  "CHANGE_TARGET)");
}

void review_options(ci::PublishOptions& po, bool enabled, const std::string& filter_mode, std::size_t max_comments,
                    const std::string& base, const std::string& root, const Env& env) {
  po.review.enabled = enabled;
  if (!enabled) return;
  po.review.filter = report::parse_filter_mode(filter_mode).value_or(report::FilterMode::Added);
  po.review.max_comments = max_comments;
  auto d = load_review_diff(root, base, env);
  if (d) po.review.diff = std::move(*d);
  else po.review.no_diff = d.error().to_string();
}

}  // namespace dg::app
