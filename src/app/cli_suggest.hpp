#pragma once
// "Did you mean …?" for the command line, as dockgate.yml has for its keys: a mistyped flag gets
// the closest flag of its command, and a command dockgate does not have gets the closest one (or
// the commands that do what another tool's verb does: `scan` → run / gate).
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace dg::app {

// The hint for a failed parse of `args` (args[0] is the program), or "" when none is close.
std::string cli_suggestion(const CLI::App& app, const std::vector<std::string>& args);

}  // namespace dg::app
