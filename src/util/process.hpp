#pragma once
// Child processes without a shell: argv is passed as is, never interpolated.
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "src/util/error.hpp"

namespace dg::util {

struct ProcessSpec {
  std::vector<std::string> argv;                 // argv[0] is looked up on PATH
  std::map<std::string, std::string> env_extra;  // added to (or replacing in) the parent's environment
  std::filesystem::path cwd;                     // empty = inherit
  std::string stdin_data;
  std::chrono::milliseconds timeout{0};          // 0 = none; on expiry the process group is killed
  std::size_t max_output = 4 << 20;              // keep at most the last N bytes of stdout and of stderr
};

struct ProcessResult {
  int exit_code = -1;     // when exited normally
  int signal = 0;         // when killed by a signal
  bool timed_out = false;
  bool not_found = false; // argv[0] does not exist / is not executable
  std::string out, err;   // captured (tail, see max_output)
  std::chrono::milliseconds duration{0};
};

// Runs to completion (or timeout). The child runs in its own process group, so a timeout kills
// everything it started. Errors here are only about starting it (Step errors).
Expected<ProcessResult> run_process(const ProcessSpec& spec);

// Finds an executable on PATH; empty when absent.
std::string which(const std::string& name);

// Last `n` lines of `text`.
std::string last_lines(const std::string& text, std::size_t n);

}  // namespace dg::util
