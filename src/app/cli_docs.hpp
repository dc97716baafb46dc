#pragma once
// The man page and the shell completions, written from the command line's own definition (the
// CLI11 tree app::run builds), so they list exactly the commands and flags the binary accepts.
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace dg::app {

// dockgate(1) in roff (man macros). No date: the same binary gives the same page.
std::string man_page(const CLI::App& root, std::string_view version);

// bash, zsh or fish; "" for another shell.
std::string completion_script(const CLI::App& root, std::string_view shell);

}  // namespace dg::app
