#pragma once
// Just enough of POSIX shell to recognize what a RUN does: split `a && b || c; d | e` into simple
// commands, honoring quotes, and split each into words. No expansion.
#include <string>
#include <string_view>
#include <vector>

namespace dg::lint {

struct Command {
  std::vector<std::string> assignments;  // leading VAR=value
  std::vector<std::string> words;        // the command and its arguments
  bool has(std::string_view word) const;
  bool has_prefix(std::string_view prefix) const;  // any word starting with it
};

std::vector<Command> split_commands(std::string_view script);

// The program a command runs, seen through wrappers (sudo, env, exec, nohup, xargs).
std::string program(const Command& c);

}  // namespace dg::lint
