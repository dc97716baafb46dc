#include <limits>
#include <filesystem>

#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/outputs.hpp"
#include "src/lint/lint.hpp"
#include "src/util/file.hpp"
#include "src/util/log.hpp"
#include "src/util/process.hpp"

namespace dg::app {

namespace {

struct LintOptions {
  std::string dockerfile = "Dockerfile";
  std::string format;  // json|sarif|junit|markdown|codequality; with -o
  std::string output = "-";
  std::vector<std::string> disable;
  CommonOptions common;
};

// The output --format FORMAT -o PATH names, the same as --FORMAT PATH.
std::string* format_slot(LintOptions& o) {
  return o.format == "json"          ? &o.common.json
         : o.format == "sarif"       ? &o.common.sarif
         : o.format == "junit"       ? &o.common.junit
         : o.format == "markdown"    ? &o.common.markdown
         : o.format == "codequality" ? &o.common.codequality
                                     : nullptr;
}

int run_lint(LintOptions& o, Io& io) {
  // -o is where --format goes: --FORMAT PATH by another name, checked with the other outputs.
  if (std::string* slot = o.format.empty() ? nullptr : format_slot(o))
    if (auto ok = take_output_alias(o.output, *slot, o.format, "the " + o.format + " output"); !ok)
      return report_error(ok.error(), io);
  auto cfg = begin_command(o.common, io.env);
  if (!cfg) return report_error(cfg.error(), io);
  if (!std::filesystem::exists(o.dockerfile))
    return report_error(missing_dockerfile(o.dockerfile, true), io);
  // A FIFO or device named as the Dockerfile is an input error (exit 3), not a step that failed.
  if (auto f = util::open_input(o.dockerfile, util::kMaxTextBytes); !f) return report_error(f.error(), io);
  steps::LintStep lint = cfg->lint;
  lint.disable.insert(lint.disable.end(), o.disable.begin(), o.disable.end());
  model::Run run;
  run.steps.push_back(lint::lint_dockerfile(o.dockerfile, lint));
  // lint is read on the console: every finding, unless --max-console caps it (the comment keeps
  // its own top-N).
  if (o.common.max_console == 0) o.common.max_console = std::numeric_limits<std::size_t>::max();
  return finish(run, *cfg, o.common, io);
}

}  // namespace

void add_lint(CLI::App& app, Io& io, int& code) {
  auto o = std::make_shared<LintOptions>();
  auto* cmd = app.add_subcommand("lint", "Lint a Dockerfile with dockgate's built-in rules (no hadolint needed)");
  cmd->footer(
      "Examples:\n"
      "  dockgate lint                                   # ./Dockerfile and ./.dockerignore\n"
      "  dockgate lint path/to/Dockerfile --format sarif -o lint.sarif\n"
      "  dockgate lint --disable DG104,DG171 --fail-on medium\n\n"
      "Rules are documented in docs/rules/. Silence one line with '# dockgate-ignore DG110' above it,\n"
      "a whole file with '# dockgate-ignore-file DG171', or in dockgate.yml: steps.lint.disable.");
  cmd->add_option("dockerfile", o->dockerfile, "The Dockerfile (default: ./Dockerfile)");
  cmd->add_option("--max-console", o->common.max_console, "Show at most N findings on the console (default: all)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--format", o->format, "Write this format to -o: json|sarif|junit|markdown|codequality")
      ->check(CLI::IsMember({"json", "sarif", "junit", "markdown", "codequality"}));
  cmd->add_option("-o,--output", o->output, "Where --format goes (default: stdout)");
  cmd->add_option("--disable", o->disable, "Rule ids to turn off")->delimiter(',');
  add_policy_options(cmd, o->common);
  add_output_options(cmd, o->common);
  cmd->callback([o, &io, &code] { code = run_lint(*o, io); });
}

}  // namespace dg::app
