// STUB: replaced by the lint owner.
#include "src/lint/lint.hpp"

namespace dg::lint {

model::StepResult lint_dockerfile(const std::filesystem::path& dockerfile, const steps::LintStep&) {
  model::StepResult s;
  s.name = model::step::kLint;
  s.tool = "dockgate-lint";
  s.status = model::StepStatus::Error;
  s.errors.push_back("built-in lint is not implemented yet (" + dockerfile.string() + ")");
  return s;
}

}  // namespace dg::lint
