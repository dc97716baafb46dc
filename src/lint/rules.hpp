#pragma once
// The built-in rules (DGxxx). Each rule has an id, a default severity, a one-line title, the
// hadolint code it overlaps (if any) and a docs page docs/rules/DGxxx.md.
#include <functional>
#include <initializer_list>
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
  int end_line = 0;  // set with a fix: the fix replaces lines line..end_line
  std::string fix;   // what those lines should read (fixes.cpp), "" when the rule knows no edit
};

// What the rules look at: the parsed file, the .dockerignore beside it, and facts derived once.
struct LintContext {
  const Dockerfile& df;
  std::optional<std::string> dockerignore;  // nullopt: no .dockerignore
  bool python = false;                      // the final stage is a Python image
  std::vector<const Stage*> python_stages;  // every stage that is Python (base or pip/python in RUN)
  const Stage* final_stage = nullptr;
  std::vector<Hit> hits;
  std::string_view text;  // the Dockerfile as parsed: fixes are edits of its lines
  mutable std::vector<std::size_t> line_starts;  // built once, on the first fix
  void hit(std::string_view rule, int line, std::string message) {
    hits.push_back({std::string(rule), line, std::move(message), 0, {}});
  }
  // A hit on the whole instruction with its fix ("" = none known: a plain hit).
  void hit_fix(std::string_view rule, const Instruction& ins, std::string message, std::string fix) {
    hits.push_back({std::string(rule), ins.line, std::move(message), fix.empty() ? 0 : ins.end_line, std::move(fix)});
  }
};

// Fixes as data (fixes.cpp): the instruction's lines as they should read, or "" when the edit is
// not mechanical (the words are not where a plain edit can find them).
std::string source_lines(const LintContext& ctx, const Instruction& ins);  // lines line..end_line
// `option` after every `PROGRAM … SUBCOMMAND` of the instruction whose command lacks it.
std::string fix_add_option(const LintContext& ctx, const Instruction& ins,
                           std::initializer_list<std::string_view> programs, std::string_view subcommand,
                           std::string_view option);
std::string fix_add_to_copy(const LintContext& ctx, const Instruction& ins);  // ADD -> COPY

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
