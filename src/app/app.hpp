#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "src/app/config.hpp"

namespace dg::app {

// The whole program: parses argv, runs one command, returns the exit code of DESIGN.md.
// Streams and environment are parameters so tests run it in-process.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Env& env);

}  // namespace dg::app
