#pragma once
// Child processes without a shell: argv is passed as is, never interpolated.
#include <signal.h>

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
  int cancelled = 0;      // the signal (see cancel_signal) that made us kill it
  std::string out, err;   // captured (tail, see max_output)
  std::chrono::milliseconds duration{0};
};

// Runs to completion (or timeout, or cancel_signal()). The child runs in its own process group,
// so a timeout kills everything it started. Errors here are only about starting it (Step errors).
Expected<ProcessResult> run_process(const ProcessSpec& spec);

// Finds an executable on PATH; empty when absent.
std::string which(const std::string& name);

// Last `n` lines of `text`.
std::string last_lines(const std::string& text, std::size_t n);

// --- Cancellation: SIGINT/SIGTERM to dockgate must still clean up what it started. ---

// Installs SIGINT and SIGTERM handlers that only record the signal (async-signal-safe); the
// previous handlers come back when the guard goes away. run_process and the smoke test poll
// cancel_signal() and kill what they started.
class SignalGuard {
 public:
  SignalGuard();
  ~SignalGuard();
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};
int cancel_signal();           // 0, or the signal that asked us to stop
void request_cancel(int sig);  // what the handler does; tests call it directly
void reset_cancel();

// --- A long-running child (the smoke test's service). ---

struct BackgroundSpec {
  std::vector<std::string> argv;                 // argv[0] is looked up on PATH
  std::map<std::string, std::string> env_extra;
  std::filesystem::path cwd;
  std::filesystem::path log;                     // stdout and stderr go here (truncated first)
};

// A process in its own process group, with its output in a log file. The destructor kills the
// group (SIGKILL) if it is still there: whatever happens, nothing is left behind.
class BackgroundProcess {
 public:
  BackgroundProcess() = default;
  ~BackgroundProcess();
  BackgroundProcess(BackgroundProcess&& o) noexcept;
  BackgroundProcess& operator=(BackgroundProcess&& o) noexcept;
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  // Step errors when it cannot be started (not_found set when argv[0] is not on PATH).
  static Expected<BackgroundProcess> start(const BackgroundSpec& spec, bool* not_found = nullptr);

  int pid() const { return pid_; }
  // Reaps the leader if it exited; true while it runs.
  bool running();
  // Exit description once it ended: "exit 3" / "signal 9"; empty while running.
  std::string exit_description() const;
  // SIGTERM to the group, wait up to `grace`, then SIGKILL. True when it stopped within `grace`.
  bool stop(std::chrono::milliseconds grace);
  // SIGKILL to the group and reap.
  void kill_now();
  // The last `n` lines of its output so far.
  std::string log_tail(std::size_t n) const;

 private:
  void reap_group();
  int pid_ = 0;
  bool reaped_ = false;  // the leader was waited for
  bool done_ = false;    // the whole group was killed: nothing left to clean up
  int status_ = 0;
  std::filesystem::path log_;
};

}  // namespace dg::util
