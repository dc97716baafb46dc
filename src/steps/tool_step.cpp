#include "src/steps/tool_step.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <system_error>

#include "src/util/file.hpp"
#include "src/util/log.hpp"
#include "src/util/process.hpp"
#include "src/util/text.hpp"
#include "src/util/token_like.hpp"

namespace dg::steps {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kExcerptLines = 20;

std::string exe_or(const ToolStep& cfg, const char* fallback) {
  // For lint, `tool` names the mode (builtin|hadolint|both), not an executable.
  if (cfg.tool.empty() || cfg.tool == "hadolint" || cfg.tool == "builtin" || cfg.tool == "both") return fallback;
  return cfg.tool;
}

// The value of `--name N`, `--name=N` (or a short alias) among the user's args.
std::optional<std::string> flag_value(const std::vector<std::string>& args, std::initializer_list<std::string_view> names) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    for (auto n : names) {
      if (args[i] == n && i + 1 < args.size()) return args[i + 1];
      if (args[i].size() > n.size() + 1 && args[i].starts_with(n) && args[i][n.size()] == '=')
        return args[i].substr(n.size() + 1);
    }
  }
  return std::nullopt;
}

std::optional<int> to_int(const std::string& s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

ToolInvocation base(const ToolStep& cfg, std::string step, std::string tool, const fs::path& results_dir) {
  ToolInvocation inv;
  inv.step = std::move(step);
  inv.tool = std::move(tool);
  inv.family = inv.tool;
  inv.timeout = cfg.timeout;
  inv.report = results_dir / (inv.tool + ".json");
  if (!cfg.report.empty()) {
    inv.report = cfg.report;
    inv.family = "auto";  // a user's report may be SARIF as well as the tool's JSON
  }
  return inv;
}

void append(std::vector<std::string>& to, const std::vector<std::string>& from) { to.insert(to.end(), from.begin(), from.end()); }

// A report is usable when it is a readable regular file with something in it. `ours`: the tool
// ran and should have written it; otherwise the user named an existing report, and "was not
// written" would wrongly say dockgate ran something.
std::string report_problem(const fs::path& p, bool ours = true) {
  std::error_code ec;
  auto st = fs::status(p, ec);
  if (ec || !fs::exists(st)) return "report " + p.string() + (ours ? " was not written" : " does not exist");
  if (!fs::is_regular_file(st)) return "report " + p.string() + " is not a regular file";
  if (fs::file_size(p, ec) == 0 || ec) return "report " + p.string() + " is empty";
  // Opened the way it will be read (a FIFO swapped in since the stat must not block us here).
  if (auto f = util::open_input(p); !f) return "report " + p.string() + ": " + f.error().message;
  return {};
}

}  // namespace

std::string redacted_command(const std::vector<std::string>& argv) {
  std::string out;
  bool secret_next = false;
  for (auto& a : argv) {
    std::string shown = a;
    std::string flag = util::to_lower(a.substr(0, a.find('=')));
    bool secret_flag = flag.starts_with("-") && (flag.find("token") != std::string::npos ||
                                                 flag.find("password") != std::string::npos ||
                                                 flag.find("secret") != std::string::npos);
    if (secret_next || util::looks_like_token(a)) shown = "***";
    else if (secret_flag && a.find('=') != std::string::npos) shown = a.substr(0, a.find('=') + 1) + "***";
    secret_next = secret_flag && a.find('=') == std::string::npos;
    bool plain = !shown.empty() && shown.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    out += (out.empty() ? "" : " ") + (plain ? shown : "'" + shown + "'");
  }
  return out;
}

std::string not_found_message(const std::string& tool, const std::string& executable) {
  std::string hint;
  if (tool == "trivy") hint = "see https://aquasecurity.github.io/trivy/latest/getting-started/installation/";
  else if (tool == "grype") hint = "see https://github.com/anchore/grype#installation";
  else if (tool == "hadolint")
    hint = "see https://github.com/hadolint/hadolint#install, or set steps.lint.tool: builtin";
  else if (tool == "bandit") hint = "install it with `pip install bandit` or `apt-get install python3-bandit`";
  else if (tool == "docker") hint = "see https://docs.docker.com/engine/install/";
  std::string msg = executable + " not found on PATH";
  if (!hint.empty()) msg += ": " + hint;
  if (tool != "docker") msg += " (or set steps." + std::string(tool == "hadolint" ? "lint" : tool) +
                               ".report to ingest a report written elsewhere)";
  return msg;
}

ToolInvocation plan_hadolint(const ToolStep& cfg, const std::string& dockerfile, const fs::path& results_dir) {
  ToolInvocation inv = base(cfg, "lint", "hadolint", results_dir);
  if (!cfg.report.empty()) return inv;
  inv.argv = {exe_or(cfg, "hadolint"), "-f", "json", dockerfile};
  append(inv.argv, cfg.args);
  inv.report_on_stdout = true;
  inv.findings_exit_codes = {1};
  return inv;
}

ToolInvocation plan_trivy(const ToolStep& cfg, const std::string& image, const fs::path& results_dir) {
  ToolInvocation inv = base(cfg, "trivy", "trivy", results_dir);
  if (!cfg.report.empty()) return inv;
  inv.argv = {exe_or(cfg, "trivy"), "image", "--format", "json", "--output", inv.report.string(), image};
  append(inv.argv, cfg.args);
  if (auto v = flag_value(cfg.args, {"--exit-code"}))
    if (auto code = to_int(*v); code && *code != 0) inv.findings_exit_codes = {*code};
  return inv;
}

ToolInvocation plan_grype(const ToolStep& cfg, const std::string& image, const fs::path& results_dir) {
  ToolInvocation inv = base(cfg, "grype", "grype", results_dir);
  if (!cfg.report.empty()) return inv;
  inv.argv = {exe_or(cfg, "grype"), image, "-o", "json", "--file", inv.report.string()};
  append(inv.argv, cfg.args);
  // grype exits 2 when --fail-on matched: that is a finding, the report is complete.
  if (flag_value(cfg.args, {"--fail-on", "-f"})) inv.findings_exit_codes = {2};
  return inv;
}

ToolInvocation plan_bandit(const ToolStep& cfg, const fs::path& results_dir) {
  ToolInvocation inv = base(cfg, "bandit", "bandit", results_dir);
  if (!cfg.report.empty()) return inv;
  inv.argv = {exe_or(cfg, "bandit"), "-f", "json", "-o", inv.report.string(), "-r"};
  if (cfg.paths.empty()) inv.argv.push_back(".");
  append(inv.argv, cfg.paths);
  append(inv.argv, cfg.args);
  inv.findings_exit_codes = {1};  // bandit: 1 = issues found
  return inv;
}

ToolOutcome run_tool(const ToolInvocation& inv) {
  ToolOutcome o;
  o.step = inv.step;
  o.tool = inv.tool;
  o.family = inv.family;
  o.report = inv.report;
  if (inv.argv.empty()) {
    if (auto p = report_problem(inv.report, false); !p.empty()) o.errors.push_back("steps." + inv.step + ".report: " + p);
    return o;
  }
  o.ran = true;
  o.command = redacted_command(inv.argv);
  spdlog::debug("{}: running {}", inv.step, o.command);
  if (util::which(inv.argv[0]).empty()) {
    o.errors.push_back(not_found_message(inv.tool, inv.argv[0]));
    return o;
  }
  // A stale report from an earlier run must never pass for this run's.
  std::error_code ec;
  fs::remove(inv.report, ec);
  if (inv.report.has_parent_path()) fs::create_directories(inv.report.parent_path(), ec);

  util::ProcessSpec spec;
  spec.argv = inv.argv;
  spec.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(inv.timeout);
  // hadolint's JSON on stdout is the report: keep all of it (bounded by the input limit).
  if (inv.report_on_stdout) spec.max_output = 1ull << 30;
  auto r = util::run_process(spec);
  if (!r) {
    o.errors.push_back(r.error().message);
    return o;
  }
  o.duration_ms = r->duration.count();
  o.exit_code = r->exit_code;
  o.cancelled = r->cancelled;
  auto fail_with = [&](std::string why) {
    spdlog::debug("{}: {}; the command was: {}", inv.step, why, o.command);
    o.errors.push_back(std::move(why));
    o.log_excerpt = util::last_lines(r->err.empty() ? r->out : r->err, kExcerptLines);
  };
  if (r->not_found) {
    o.errors.push_back(not_found_message(inv.tool, inv.argv[0]));
    return o;
  }
  if (r->cancelled) {
    fail_with(inv.tool + " was interrupted (signal " + std::to_string(r->cancelled) + " to dockgate)");
    return o;
  }
  if (r->timed_out) {
    fail_with(inv.tool + " timed out after " + std::to_string(static_cast<long long>(inv.timeout.count())) +
              "s and was killed");
    return o;
  }
  if (r->signal) {
    fail_with(inv.tool + " crashed (killed by signal " + std::to_string(r->signal) + ")");
    return o;
  }
  bool findings = std::ranges::find(inv.findings_exit_codes, r->exit_code) != inv.findings_exit_codes.end();
  if (r->exit_code != 0 && !findings) {
    fail_with(inv.tool + " failed with exit code " + std::to_string(r->exit_code));
    return o;
  }
  o.findings_exit = findings;
  if (inv.report_on_stdout) {
    if (util::trim(r->out).empty()) {
      fail_with(inv.tool + " printed no report");
      return o;
    }
    if (auto w = util::write_file_atomic(inv.report, r->out); !w) {
      o.errors.push_back(w.error().to_string());
      return o;
    }
  }
  if (auto p = report_problem(inv.report); !p.empty()) fail_with(inv.tool + " exited " + std::to_string(r->exit_code) + " but its " + p);
  return o;
}

}  // namespace dg::steps
