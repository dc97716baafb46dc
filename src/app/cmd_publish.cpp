// dockgate publish: the comment step of a pipeline whose gate ran elsewhere (a matrix + merge).
#include "adapters/ci/ci.hpp"
#include "adapters/ingest/sniff.hpp"
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/util/log.hpp"

namespace dg::app {

namespace {

struct PublishCmd {
  std::string result;
  ci::PublishOptions opt;
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
  auto r = ci::publish(run, o.opt, io.env);
  if (!r) return report_error(r.error(), io);
  if (o.opt.dry_run) io.out << r->body;
  if (!o.quiet) io.err << "dockgate: comment " << r->action << (r->detail.empty() ? "" : ": " + r->detail) << "\n";
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
      "  dockgate publish result.json --dry-run             # print the comment, send nothing\n\n"
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
  cmd->add_option("--out-dir", o->opt.out_dir, "Jenkins without a PR, or a degraded GitLab note: where files go");
  cmd->add_flag("-q,--quiet", o->quiet, "Print only errors on stderr");
  cmd->add_flag("-v,--verbose", o->verbose, "Print debug logs on stderr");
  cmd->callback([o, &io, &code] { code = run_publish(*o, io); });
}

}  // namespace dg::app
