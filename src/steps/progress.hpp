#pragma once
// Progress on stderr while steps run: one line when a step starts and one when it ends (what CI
// logs keep), and on a terminal only, a ticker with the elapsed time of the steps still running.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace dg::steps {

class Progress {
 public:
  // `quiet` prints nothing; `ticker` (stderr is a terminal) redraws a status line every second.
  Progress(std::ostream& err, bool quiet, bool ticker);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void started(const std::string& step);
  // `summary` is e.g. "4 findings", "passed", "error: trivy not found on PATH".
  void done(const std::string& step, std::chrono::milliseconds elapsed, const std::string& summary);
  // A one-off line ("dockgate: not configured: grype").
  void note(const std::string& line);

 private:
  void print_locked(const std::string& line);
  void tick();
  std::ostream& err_;
  bool quiet_, ticker_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool status_shown_ = false;
  std::map<std::string, std::chrono::steady_clock::time_point> running_;
  std::thread thread_;
};

// "12.3s"
std::string format_seconds(std::chrono::milliseconds ms);

}  // namespace dg::steps
