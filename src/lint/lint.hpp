#pragma once
// dockgate's built-in Dockerfile rules (DGxxx): works with no hadolint installed.
#include <filesystem>

#include "src/model/step_result.hpp"
#include "src/steps/step_config.hpp"

namespace dg::lint {

// Lints `dockerfile` (and the .dockerignore beside it). Returns a "lint" step with tool
// "dockgate-lint"; a file that cannot be read is a step in error, never a crash.
model::StepResult lint_dockerfile(const std::filesystem::path& dockerfile, const steps::LintStep& cfg);

}  // namespace dg::lint
