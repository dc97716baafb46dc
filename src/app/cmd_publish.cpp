// dockgate publish: the comment step of a pipeline whose gate ran elsewhere (a matrix + merge).
#include "adapters/ci/ci.hpp"
#include "adapters/ingest/sniff.hpp"
#include "src/app/commands.hpp"
#include "src/app/review_diff.hpp"
#include "src/app/source_root.hpp"
#include "src/app/exit_codes.hpp"
#include "src/util/log.hpp"

namespace dg::app {

namespace {

struct PublishCmd {
  std::string result;
  ci::PublishOptions opt;
  bool review = false;
  std::string filter_mode = "added", review_base, source_root;
  std::size_t max_review_comments = 50;
  bool quiet = false, verbose = false;
};

int run_publish(PublishCmd& o, Io& io) {
  util::init_logging(o.quiet, o.verbose);
  auto parsed = ingest::parse_report(o.result, "dockgate");
  if (!parsed) return report_error(parsed.error(), io);
  model::Run run = parsed->run ? std::move(*parsed->run) : model::Run{};
  run.steps = std::move(parsed->steps);
  if (o.opt.marker_key.empty()) {
    // Same default as gate/run --publish: the job name of the job that publishes.
    auto here = ci::detect(io.env);
    o.opt.marker_key = !here.job_name.empty() ? here.job_name : !run.context.job_name.empty() ? run.context.job_name : "default";
  }
  // The result's paths are relative to the source root of the job that wrote it: the same root here.
  review_options(o.opt, o.review, o.filter_mode, o.max_review_comments, o.review_base,
                 o.review ? source_root(o.source_root, io.env) : std::string(), io.env);
  auto r = ci::publish(run, o.opt, io.env);
  if (!r) return report_error(r.error(), io);
  if (o.opt.dry_run) io.out << r->body;
  if (!o.quiet) io.err << "dockgate: comment " << r->action << (r->detail.empty() ? "" : ": " + r->detail) << "\n";
  if (!o.quiet && !r->review.empty()) io.err << "dockgate: " << r->review << "\n";
  io.out << r->annotations;  // a degraded review: the findings on the diff as annotations
  // Publishing reports; it does not gate. The verdict's exit code belongs to gate/run/merge.
  return exit_code::kPass;
}

}  // namespace

void add_publish(CLI::App& app, Io& io, int& code) {
  auto o = std::make_shared<PublishCmd>();
  auto* cmd = app.add_subcommand("publish", "Post or update the sticky PR/MR comment (and a GitHub check run)");
  cmd->footer(
      "Examples:\n"
      "  dockgate publish result.json                       # platform from the environment\n"
      "  dockgate publish merged.json --comment-key images  # one comment per key on a PR\n"
      "  dockgate publish result.json --check-run           # GitHub: also annotations on the diff\n"
      "  dockgate publish result.json --dry-run             # print the comment, send nothing\n"
      "  dockgate publish result.json --review              # also inline comments on the changed lines\n\n"
      "Tokens come from the environment only: GITHUB_TOKEN (GitHub), GITLAB_TOKEN or CI_JOB_TOKEN\n"
      "(GitLab), or the variable named by --token-env. On Jenkins the comment goes to the GitHub or\n"
      "GitLab PR named by CHANGE_URL; without CHANGE_ID, JUnit and SARIF files are written to --out-dir.\n"
      "A fork PR's read-only token degrades to the job summary with a warning; exit status stays 0.\n"
      "Exit: 0 published (or degraded/skipped), 2 usage, 3 unreadable result, 4 API error or bad token.");
  cmd->add_option("result", o->result, "A dockgate result JSON (gate/run/merge --json)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--platform", o->opt.platform, "auto|github|gitlab|jenkins")
      ->check(CLI::IsMember({"auto", "github", "gitlab", "jenkins"}));
  cmd->add_option("--token-env", o->opt.token_env, "NAME of the environment variable holding the API token");
  cmd->add_option("--comment-key", o->opt.marker_key, "Key of the sticky comment (default: the job name)");
  cmd->add_flag("--check-run", o->opt.check_run, "GitHub: also create a check run with annotations");
  cmd->add_flag("--dry-run", o->opt.dry_run, "Send nothing: print the comment on stdout");
  cmd->add_flag("--no-summary-fallback", o->opt.summary_written,
                "When the comment degrades, do not append the report to $GITHUB_STEP_SUMMARY (gate --summary did)");
  add_review_options(cmd, o->review, o->filter_mode, o->max_review_comments, o->review_base);
  cmd->add_option("--source-root", o->source_root,
                  "With --review: the repository root the result's paths are relative to (default: as gate)");
  cmd->add_option("--out-dir", o->opt.out_dir, "Jenkins without a PR, or a degraded GitLab note: where files go");
  cmd->add_flag("-q,--quiet", o->quiet, "Print only errors on stderr");
  cmd->add_flag("-v,--verbose", o->verbose, "Print debug logs on stderr");
  cmd->callback([o, &io, &code] { code = run_publish(*o, io); });
}

}  // namespace dg::app
