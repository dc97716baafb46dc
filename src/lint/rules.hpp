#pragma once
// The built-in rules (DGxxx). Each rule has an id, a default severity, a one-line title, the
// hadolint code it overlaps (if any) and a docs page docs/rules/DGxxx.md.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/lint/dockerfile.hpp"
#include "src/lint/shell.hpp"
#include "src/model/severity.hpp"

namespace dg::lint {

struct RuleInfo {
  std::string_view id;
  model::Severity severity;
  std::string_view title;
  std::string_view hadolint;  // overlapping hadolint code, "" when none
};

const std::vector<RuleInfo>& rules();
const RuleInfo* find_rule(std::string_view id);

struct Hit {
  std::string rule;
  int line = 0;
  std::string message;
};

// What the rules look at: the parsed file, the .dockerignore beside it, and facts derived once.
struct LintContext {
  const Dockerfile& df;
  std::optional<std::string> dockerignore;  // nullopt: no .dockerignore
  bool python = false;                      // the final stage is a Python image
  std::vector<const Stage*> python_stages;  // every stage that is Python (base or pip/python in RUN)
  const Stage* final_stage = nullptr;
  std::vector<Hit> hits;
  void hit(std::string_view rule, int line, std::string message) {
    hits.push_back({std::string(rule), line, std::move(message)});
  }
};

// The shell script of a RUN (shell form, exec form joined, or its heredoc bodies).
std::string run_script(const Instruction& ins);
std::vector<Command> run_commands(const Instruction& ins);
bool is_apt(const Command& c);                         // apt-get / apt
std::string apt_subcommand(const Command& c);          // install, update, upgrade, …
bool is_pip_install(const Command& c);

void check_base_image(LintContext& ctx);  // rules_base.cpp
void check_runtime(LintContext& ctx);     // rules_runtime.cpp
void check_apt(LintContext& ctx);         // rules_apt.cpp
void check_python(LintContext& ctx);      // rules_python.cpp
void check_files(LintContext& ctx);       // rules_files.cpp
void check_metadata(LintContext& ctx);    // rules_meta.cpp

}  // namespace dg::lint
