#include "src/lint/lint.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "src/lint/rules.hpp"
#include "src/model/fingerprint.hpp"
#include "src/util/file.hpp"
#include "src/util/text.hpp"

namespace dg::lint {

namespace {

bool looks_binary(std::string_view text) {
  auto head = text.substr(0, 8192);
  return head.find('\0') != std::string_view::npos;
}

// A stage is a Python stage when its base is a Python image or it runs pip/python; a multi-stage
// build whose final stage is nginx is not a Python image even if an earlier stage was.
bool is_python_stage(const Stage& st) {
  if (util::to_lower(st.resolved).find("python") != std::string::npos) return true;
  for (auto& ins : st.instructions) {
    if (ins.keyword != "RUN" && ins.keyword != "CMD" && ins.keyword != "ENTRYPOINT") continue;
    for (auto& c : run_commands(ins)) {
      auto p = program(c);
      if (p == "pip" || p == "pip3" || p.starts_with("python") || p == "gunicorn" || p == "uvicorn") return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Hit> lint_text(std::string_view text, const std::optional<std::string>& dockerignore) {
  Dockerfile df = parse_dockerfile(text);
  LintContext ctx{df, dockerignore, false, {}, nullptr, {}, text, {}};
  for (auto& p : df.problems) ctx.hit("DG100", p.line, p.message);
  if (df.stages.empty()) {
    if (df.problems.empty()) ctx.hit("DG100", 1, "no FROM instruction: not a Dockerfile");
    return ctx.hits;
  }
  ctx.final_stage = &df.stages.back();
  ctx.python = is_python_stage(*ctx.final_stage);
  for (auto& st : df.stages)
    if (is_python_stage(st)) ctx.python_stages.push_back(&st);
  check_base_image(ctx);
  check_runtime(ctx);
  check_apt(ctx);
  check_python(ctx);
  check_files(ctx);
  check_metadata(ctx);
  // Inline `# dockgate-ignore DGxxx` applies to the instruction below it (all its lines).
  // Instructions come in line order and do not overlap: the one a hit falls in is found by
  // binary search (a scan of every instruction per hit was quadratic on big Dockerfiles).
  std::vector<const Instruction*> with_ignores;
  for (auto& ins : df.all)
    if (!ins.ignores.empty()) with_ignores.push_back(&ins);
  std::vector<Hit> kept;
  for (auto& h : ctx.hits) {
    bool ignored = std::find(df.file_ignores.begin(), df.file_ignores.end(), h.rule) != df.file_ignores.end();
    auto after = std::upper_bound(with_ignores.begin(), with_ignores.end(), h.line,
                                  [](int line, const Instruction* ins) { return line < ins->line; });
    if (!ignored && after != with_ignores.begin()) {
      const Instruction& ins = **std::prev(after);
      ignored = h.line <= ins.end_line && std::find(ins.ignores.begin(), ins.ignores.end(), h.rule) != ins.ignores.end();
    }
    if (!ignored) kept.push_back(h);
  }
  std::stable_sort(kept.begin(), kept.end(), [](const Hit& a, const Hit& b) { return a.line < b.line; });
  return kept;
}

model::StepResult lint_dockerfile(const std::filesystem::path& dockerfile, const steps::LintStep& cfg) {
  auto start = std::chrono::steady_clock::now();
  model::StepResult s;
  s.name = model::step::kLint;
  s.tool = "dockgate-lint";
  s.tool_version = DOCKGATE_VERSION;
  s.inputs.push_back(dockerfile.string());
  auto text = util::read_file(dockerfile, 0, util::kMaxTextBytes);
  if (!text) {
    s.status = model::StepStatus::Error;
    s.errors.push_back(text.error().to_string());
    return s;
  }
  if (looks_binary(*text)) {
    s.status = model::StepStatus::Error;
    s.errors.push_back(dockerfile.string() + ": a binary file, not a Dockerfile");
    return s;
  }
  std::optional<std::string> ignore;
  auto ignore_path = dockerfile.parent_path() / ".dockerignore";
  if (auto specific = std::filesystem::path(dockerfile.string() + ".dockerignore"); std::filesystem::exists(specific))
    ignore_path = specific;  // BuildKit's per-Dockerfile ignore file
  if (std::filesystem::is_regular_file(ignore_path))
    if (auto t = util::read_file(ignore_path, 0, util::kMaxTextBytes)) ignore = std::move(*t);
  std::set<std::string> disabled(cfg.disable.begin(), cfg.disable.end());
  for (auto& h : lint_text(util::to_valid_utf8(*text), ignore)) {
    if (disabled.count(h.rule)) continue;
    const RuleInfo* info = find_rule(h.rule);
    model::Finding f;
    f.tool = "dockgate-lint";
    f.kind = model::Kind::Lint;
    f.rule_id = h.rule;
    f.severity = info ? info->severity : model::Severity::Unknown;
    if (auto it = cfg.severity.find(h.rule); it != cfg.severity.end()) f.severity = it->second;
    f.tool_severity = std::string(model::to_string(f.severity));
    f.title = info ? std::string(info->title) : h.rule;
    f.message = h.message;
    f.location.path = dockerfile.generic_string();
    f.location.line = h.line;
    if (!h.fix.empty()) {
      f.fix = h.fix;
      f.location.end_line = h.end_line > h.line ? h.end_line : 0;
    }
    f.help_uri = "docs/rules/" + h.rule + ".md";  // in the dockgate repository
    if (info && !info->hadolint.empty() && info->hadolint.starts_with("DL")) f.aliases.push_back(std::string(info->hadolint.substr(0, 6)));
    f.sources = {"dockgate-lint"};
    s.findings.push_back(std::move(f));
  }
  model::assign_fingerprints(s.findings);
  s.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  return s;
}

}  // namespace dg::lint
