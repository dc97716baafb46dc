#include <map>

#include "adapters/ingest/sniff.hpp"
#include "src/app/commands.hpp"
#include "src/app/exit_codes.hpp"
#include "src/app/fold_steps.hpp"
#include "src/util/log.hpp"

namespace dg::app {

namespace {

struct GateOptions {
  std::vector<std::string> reports;
  std::string format = "auto";
  CommonOptions common;
};

int run_gate(GateOptions& o, Io& io) {
  auto cfg = begin_command(o.common, io.env);
  if (!cfg) return report_error(cfg.error(), io);

  model::Run run;
  int code = exit_code::kPass;
  for (auto& path : o.reports) {
    auto parsed = ingest::parse_report(path, o.format);
    if (!parsed) {
      // Every unreadable report is named before we stop; nothing is written.
      code = report_error(parsed.error(), io);
      continue;
    }
    for (auto& w : parsed->warnings) spdlog::warn("{}", w);
    if (parsed->run && run.context.platform.empty()) {
      run.context = parsed->run->context;
      run.merged_duplicates += parsed->run->merged_duplicates;
      run.baseline_incomplete = parsed->run->baseline_incomplete;
      run.baseline_unknown = parsed->run->baseline_unknown;
    }
    for (auto& s : parsed->steps) fold_step(run.steps, std::move(s));  // two reports of one step become one step
  }
  if (code != exit_code::kPass) return code;
  return finish(run, *cfg, o.common, io);
}

}  // namespace

void add_gate(CLI::App& app, Io& io, int& code) {
  auto o = std::make_shared<GateOptions>();
  auto* cmd = app.add_subcommand("gate", "Ingest existing reports, apply the policy, and report once");
  cmd->footer(
      "Examples:\n"
      "  dockgate gate trivy.json grype.json hadolint.json bandit.json --json result.json\n"
      "  dockgate gate reports/*.json --config dockgate.yml --baseline main-result.json --sarif out.sarif\n"
      "  dockgate gate trivy.json --fail-on critical --junit junit.xml   # convert + gate\n\n"
      "Formats are recognized from content: trivy (JSON v1/v2/k8s, SARIF, JUnit template), grype (JSON, SARIF),\n"
      "hadolint (JSON, SARIF, checkstyle, JUnit, gitlab_codeclimate), bandit (JSON, SARIF, XML, CSV, txt, HTML, YAML), any SARIF 2.1.0,\n"
      "GitLab Code Quality / container scanning, AWS ASFF, and dockgate's own result JSON.");
  // No ExistingPath check: a missing report is an input error (exit 3) naming the file, not usage.
  cmd->add_option("reports", o->reports, "Report files (any mix of formats)")->required();
  std::vector<std::string> families{"auto"};
  for (auto f : ingest::known_families()) families.emplace_back(f);
  cmd->add_option("--format", o->format, "Force the report family instead of recognizing it")
      ->check(CLI::IsMember(families));
  add_policy_options(cmd, o->common);
  add_output_options(cmd, o->common);
  cmd->callback([o, &io, &code] { code = run_gate(*o, io); });
}

}  // namespace dg::app
