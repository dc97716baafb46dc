#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "src/app/config.hpp"

namespace dg::app {

// The whole program: parses argv, runs one command, returns the exit code of DESIGN.md.
// Streams and environment are parameters so tests run it in-process.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Env& env);

// For the executable, which ends right after run(): the findings and everything else a command
// made are left to the process's exit instead of being freed one string at a time. Tests that
// call run() in-process do not call it.
void leave_results_to_exit();

}  // namespace dg::app
