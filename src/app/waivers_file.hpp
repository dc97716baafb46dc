#pragma once
#include <filesystem>
#include <vector>

#include "src/policy/gate.hpp"
#include "src/util/error.hpp"

namespace dg::app {

// Reads waivers from .dockgate-waivers.yml, .trivyignore, .trivyignore.yaml or .grype.yaml
// (recognized by content and name). Syntax errors are Usage errors with file:line.
util::Expected<std::vector<policy::WaiverRule>> load_waivers(const std::filesystem::path& file);

}  // namespace dg::app
