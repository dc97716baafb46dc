#pragma once
// dockgate's built-in Dockerfile rules (DGxxx): works with no hadolint installed.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/step_result.hpp"
#include "src/lint/rules.hpp"
#include "src/steps/step_config.hpp"

namespace dg::lint {

// Lints `dockerfile` (and the .dockerignore beside it). Returns a "lint" step with tool
// "dockgate-lint"; a file that cannot be read is a step in error, never a crash.
// The rules over Dockerfile text and the .dockerignore content (nullopt: none), hits by line.
std::vector<Hit> lint_text(std::string_view text, const std::optional<std::string>& dockerignore);

model::StepResult lint_dockerfile(const std::filesystem::path& dockerfile, const steps::LintStep& cfg);

}  // namespace dg::lint
