#include <unistd.h>

#include <algorithm>
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <set>

#include "adapters/ingest/sniff.hpp"
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/lint/lint.hpp"
#include "src/steps/image_size.hpp"
#include "src/steps/progress.hpp"
#include "src/steps/scheduler.hpp"
#include "src/steps/smoke.hpp"
#include "src/steps/tool_step.hpp"
#include "src/util/clock.hpp"
#include "src/util/log.hpp"
#include "src/util/process.hpp"
#include "src/util/text.hpp"

namespace dg::app {

namespace {

util::Error make_error(util::ErrorKind kind, std::string message) {
  util::Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}
namespace fs = std::filesystem;

// The first existing part of a relative directory path that is a symlink ("" when none): a
// relative path is inside the checkout, where anyone who can commit can plant one. An absolute
// path is the user's own choice.
std::string symlinked_part(const fs::path& dir) {
  if (dir.is_absolute()) return {};
  fs::path at;
  for (const auto& part : dir) {
    at /= part;
    if (part == "." || part == "..") continue;
    std::error_code ec;
    auto st = fs::symlink_status(at, ec);
    if (ec || st.type() == fs::file_type::not_found) return {};
    if (st.type() == fs::file_type::symlink) return at.string();
  }
  return {};
}

using model::StepResult;
using model::StepStatus;

constexpr std::array<std::string_view, 6> kSteps = {model::step::kLint,  model::step::kTrivy, model::step::kGrype,
                                                    model::step::kBandit, model::step::kSmoke, model::step::kSize};

struct RunOptions {
  std::vector<std::string> only;
  int jobs = 0;
  std::string image, results_dir, dockerfile;
  CommonOptions common;
};

bool configured(const Config& c, std::string_view step) {
  if (step == model::step::kLint) return c.lint.configured;
  if (step == model::step::kTrivy) return c.trivy.configured;
  if (step == model::step::kGrype) return c.grype.configured;
  if (step == model::step::kBandit) return c.bandit.configured;
  if (step == model::step::kSmoke) return c.smoke.configured;
  return c.size.configured;
}

StepResult step_error(std::string_view name, std::string tool, std::string why) {
  StepResult s;
  s.name = name;
  s.tool = std::move(tool);
  s.status = StepStatus::Error;
  s.errors.push_back(std::move(why));
  return s;
}

// Folds the steps a parser returned (one, or several for a SARIF log) into `into`.
void absorb(StepResult& into, std::vector<StepResult>& parsed) {
  for (auto& p : parsed) {
    for (auto& f : p.findings) into.findings.push_back(std::move(f));
    into.errors.insert(into.errors.end(), p.errors.begin(), p.errors.end());
    for (auto& [k, v] : p.metrics) into.metrics[k] += v;
    if (into.tool_version.empty()) into.tool_version = p.tool_version;
    if (into.format.empty()) into.format = p.format;
    if (p.status == StepStatus::Error) into.status = StepStatus::Error;
  }
}

// A scanner's outcome becomes a step: its report goes through the same parsers as `gate`.
StepResult ingest_outcome(const steps::ToolOutcome& out) {
  StepResult s;
  s.name = out.step;
  s.tool = out.tool;
  s.duration_ms = out.duration_ms;
  s.command = out.command;
  if (!out.errors.empty()) {
    s.status = StepStatus::Error;
    s.errors = out.errors;
    s.log_excerpt = out.log_excerpt;
    return s;
  }
  auto parsed = ingest::parse_report(out.report, out.family);
  s.inputs.push_back(out.report.string());
  if (!parsed) {
    s.status = StepStatus::Error;
    s.errors.push_back("cannot read the " + out.tool + " report: " + parsed.error().to_string());
    return s;
  }
  for (auto& w : parsed->warnings) spdlog::warn("{}", w);
  if (s.format.empty()) s.format = parsed->format;
  absorb(s, parsed->steps);
  return s;
}

StepResult run_scanner(const steps::ToolInvocation& inv) { return ingest_outcome(steps::run_tool(inv)); }

StepResult run_lint(const Config& cfg) {
  std::string mode = cfg.lint.tool;
  // The lint step's tool part: what a hadolint run needs (the built-in linter reads cfg.lint whole).
  steps::ToolStep hcfg = static_cast<const steps::ToolStep&>(cfg.lint);
  if (mode.empty()) mode = (!cfg.lint.report.empty() || !util::which("hadolint").empty()) ? "hadolint" : "builtin";
  else if (mode != "builtin" && mode != "hadolint" && mode != "both") {
    hcfg.tool = mode;  // a path to a hadolint executable
    mode = "hadolint";
  }
  if (cfg.lint.report.empty() && !fs::exists(cfg.dockerfile))
    return step_error(model::step::kLint, mode == "builtin" ? "dockgate-lint" : "hadolint",
                      "Dockerfile not found: " + cfg.dockerfile + " (set dockerfile: in dockgate.yml)");
  StepResult s;
  if (mode == "hadolint" || mode == "both") {
    // Rules turned off in dockgate.yml are turned off in hadolint too.
    for (auto& rule : cfg.lint.disable)
      if (rule.starts_with("DL") || rule.starts_with("SC")) hcfg.args.insert(hcfg.args.end(), {"--ignore", rule});
    s = run_scanner(steps::plan_hadolint(hcfg, cfg.dockerfile, cfg.results_dir));
  }
  if (mode == "builtin" || mode == "both") {
    auto b = lint::lint_dockerfile(cfg.dockerfile, cfg.lint);
    if (mode == "builtin") return b;
    s.tool += "+" + b.tool;
    s.duration_ms += b.duration_ms;
    std::vector<StepResult> one{std::move(b)};
    absorb(s, one);
  }
  s.name = model::step::kLint;
  return s;
}

StepResult run_step(std::string_view name, const Config& cfg, const model::Run* baseline, const Env& env) {
  const std::string no_image = "no image to scan: set image: in dockgate.yml or pass --image";
  if (name == model::step::kLint) return run_lint(cfg);
  if (name == model::step::kTrivy) {
    if (cfg.image.empty() && cfg.trivy.report.empty()) return step_error(name, "trivy", no_image);
    return run_scanner(steps::plan_trivy(cfg.trivy, cfg.image, cfg.results_dir));
  }
  if (name == model::step::kGrype) {
    if (cfg.image.empty() && cfg.grype.report.empty()) return step_error(name, "grype", no_image);
    return run_scanner(steps::plan_grype(cfg.grype, cfg.image, cfg.results_dir));
  }
  if (name == model::step::kBandit) return run_scanner(steps::plan_bandit(cfg.bandit, cfg.results_dir));
  if (name == model::step::kSmoke) {
    steps::SmokeStep s = cfg.smoke;
    if (auto e = steps::complete_smoke(s, cfg.image); !e) return step_error(name, "dockgate", e.error().message);
    auto http = util::make_curl_transport();
    steps::SmokeEnv senv;
    senv.log_dir = cfg.results_dir;
    return steps::run_smoke(s, *http, senv);
  }
  steps::SizeStep sz = cfg.size;
  if (sz.image.empty() && sz.inspect.empty() && sz.archive.empty() && sz.oci.empty()) sz.image = cfg.image;
  if (sz.image.empty() && sz.inspect.empty() && sz.archive.empty() && sz.oci.empty())
    return step_error(name, "dockgate", "no image to measure: set image: (or steps.image-size.inspect/archive/oci)");
  return steps::run_image_size(sz, baseline, util::now(env));
}

std::string summary(const StepResult& s) {
  if (s.status == StepStatus::Error) return "error: " + (s.errors.empty() ? std::string("failed") : s.errors.front());
  auto n = s.findings.size();
  if (n == 0) return "no findings";
  return std::to_string(n) + (n == 1 ? " finding" : " findings");
}

int run_run(RunOptions& o, Io& io) {
  auto cfg = begin_command(o.common, io.env);
  if (!cfg) return report_error(cfg.error(), io);
  if (!o.image.empty()) cfg->image = o.image;
  if (!o.results_dir.empty()) cfg->results_dir = o.results_dir;
  if (!o.dockerfile.empty()) cfg->dockerfile = o.dockerfile;
  if (cfg->results_dir.empty()) cfg->results_dir = ".dockgate";

  std::set<std::string, std::less<>> only;
  for (auto& item : o.only)
    for (auto& part : util::split(item, ','))
      if (auto p = util::trim(part); !p.empty()) only.insert(p);
  for (auto& name : only) {
    if (std::ranges::find(kSteps, std::string_view(name)) == kSteps.end())
      return report_error(make_error(util::ErrorKind::Usage,
                                      "--only: unknown step '" + name +
                                          "' (steps: lint, trivy, grype, bandit, smoke-test, image-size)"),
                          io);
  }
  std::vector<std::string_view> selected, unconfigured;
  for (auto name : kSteps) {
    if (!only.empty()) {
      if (only.contains(name)) selected.push_back(name);  // asked for by name: run it even with defaults
    } else if (configured(*cfg, name)) {
      selected.push_back(name);
    } else {
      unconfigured.push_back(name);
    }
  }
  if (selected.empty())
    return report_error(make_error(util::ErrorKind::Usage,
                                    "nothing to run: no step is configured under steps: in " +
                                        (cfg->file.empty() ? std::string("dockgate.yml (none found)") : cfg->file.string()) +
                                        "; see docs/running.md"),
                        io);

  // A missing Dockerfile is a missing input, as in `dockgate lint`: exit 3 before any tool runs.
  if (std::ranges::find(selected, model::step::kLint) != selected.end() && cfg->lint.report.empty() &&
      !fs::exists(cfg->dockerfile))
    return report_error(missing_dockerfile(cfg->dockerfile, !o.dockerfile.empty()), io);

  // Scanners write their reports into the results directory, and stale ones are removed from it
  // first: a committed `.dockgate -> ~/somewhere` in the checkout (a trusted config run over an
  // untrusted tree) must not send either through the link.
  if (auto link = symlinked_part(cfg->results_dir); !link.empty()) {
    std::error_code lec;
    auto target = fs::read_symlink(link, lec);
    return report_error(make_error(util::ErrorKind::Input,
                                   "the results directory " + cfg->results_dir + " goes through the symlink " + link +
                                       (lec ? std::string() : " (to " + target.string() + ")") +
                                       ": dockgate does not write scanner reports through a link; remove it, or "
                                       "pass --results-dir a real directory"),
                        io);
  }
  std::error_code ec;
  fs::create_directories(cfg->results_dir, ec);
  if (ec)
    return report_error(make_error(util::ErrorKind::Step, "cannot create the results directory " + cfg->results_dir +
                                                               ": " + ec.message()),
                        io);

  // image-size compares with the previous image; a baseline that cannot be read is reported by
  // finish(), which reads it again for the gate.
  std::optional<model::Run> baseline;
  if (!cfg->baseline.empty() && std::ranges::find(selected, model::step::kSize) != selected.end()) {
    if (auto b = ingest::parse_report(cfg->baseline, "dockgate"); b) {
      baseline = b->run ? std::move(*b->run) : model::Run{};
      baseline->steps = std::move(b->steps);
    }
  }

  bool ticker = ::isatty(STDERR_FILENO) && !io.env.count("CI");
  steps::Progress progress(io.err, o.common.quiet, ticker);
  if (!unconfigured.empty()) {
    std::string line = "dockgate: not configured, not run:";
    for (auto n : unconfigured) line += " " + std::string(n);
    progress.note(line);
  }

  util::SignalGuard guard;
  util::reset_cancel();
  model::Run run;
  run.started_at = util::rfc3339(util::now(io.env));
  std::vector<StepResult> results(selected.size());
  std::vector<std::function<void()>> tasks;
  tasks.reserve(selected.size());
  for (std::size_t i = 0; i < selected.size(); ++i) {
    tasks.push_back([&, i] {
      std::string name(selected[i]);
      progress.started(name);
      auto t0 = std::chrono::steady_clock::now();
      StepResult r;
      try {
        r = run_step(selected[i], *cfg, baseline ? &*baseline : nullptr, io.env);
      } catch (const std::exception& e) {
        r = step_error(name, "dockgate", std::string("internal error: ") + e.what());
      }
      auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
      if (r.name.empty()) r.name = name;
      if (r.duration_ms == 0) r.duration_ms = took.count();
      progress.done(name, took, summary(r));
      results[i] = std::move(r);
    });
  }
  int jobs = o.jobs > 0 ? o.jobs : cfg->jobs;  // 0: every selected step at once
  steps::run_parallel(std::move(tasks), jobs);
  if (int sig = util::cancel_signal()) {
    io.err << "dockgate: interrupted by signal " << sig << "; every started tool and service was stopped\n";
    return 128 + sig;
  }
  run.steps = std::move(results);
  return finish(run, *cfg, o.common, io);
}

}  // namespace

void add_run(CLI::App& app, Io& io, int& code) {
  auto o = std::make_shared<RunOptions>();
  auto* cmd = app.add_subcommand("run", "Run the configured steps in parallel, then gate and report once");
  cmd->footer(
      "Examples:\n"
      "  dockgate run --json result.json --junit junit.xml\n"
      "  dockgate run --image app:${CI_COMMIT_SHA} --sarif dockgate.sarif\n"
      "  dockgate run --only smoke-test,image-size --jobs 2\n\n"
      "Steps (configured under steps: in dockgate.yml): lint (hadolint, or the built-in rules),\n"
      "trivy, grype, bandit, smoke-test, image-size. Scanners write their reports to the results\n"
      "directory (.dockgate/); steps.X.report ingests an existing report instead of running the tool.\n"
      "A step that cannot run (tool missing, crashed, timed out) makes the run exit 4.");
  cmd->add_option("--only", o->only, "Run only these steps (comma-separated), configured or not")->delimiter(',');
  cmd->add_option("-j,--jobs", o->jobs, "Steps run at the same time (default: all of them)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--image", o->image, "Image to scan, smoke-test and measure (overrides image:)");
  cmd->add_option("--dockerfile", o->dockerfile, "Dockerfile to lint (overrides dockerfile:)");
  cmd->add_option("--results-dir", o->results_dir, "Where scanner reports are written (default .dockgate)");
  add_policy_options(cmd, o->common);
  add_output_options(cmd, o->common);
  cmd->callback([o, &io, &code] { code = run_run(*o, io); });
}

}  // namespace dg::app
