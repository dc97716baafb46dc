#include "src/steps/progress.hpp"

#include <cstdio>

namespace dg::steps {

std::string format_seconds(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

Progress::Progress(std::ostream& err, bool quiet, bool ticker) : err_(err), quiet_(quiet), ticker_(ticker && !quiet) {
  if (ticker_) thread_ = std::thread([this] { tick(); });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  if (status_shown_) err_ << "\r\033[K" << std::flush;
}

void Progress::print_locked(const std::string& line) {
  if (quiet_) return;
  // One piece, so one write() to an unbuffered stderr: spdlog's lines (-v) come from other
  // threads and would otherwise land between the text and its newline.
  std::string out;
  out.reserve(line.size() + 5);
  if (status_shown_) out += "\r\033[K";  // erase the ticker before a permanent line
  status_shown_ = false;
  out += line;
  out += '\n';
  err_ << out << std::flush;
}

void Progress::started(const std::string& step) {
  std::lock_guard lock(mu_);
  running_[step] = std::chrono::steady_clock::now();
  print_locked("dockgate: " + step + " started");
}

void Progress::done(const std::string& step, std::chrono::milliseconds elapsed, const std::string& summary) {
  std::lock_guard lock(mu_);
  running_.erase(step);
  print_locked("dockgate: " + step + " done in " + format_seconds(elapsed) + ": " + summary);
}

void Progress::note(const std::string& line) {
  std::lock_guard lock(mu_);
  print_locked(line);
}

void Progress::tick() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
    if (running_.empty()) continue;
    auto now = std::chrono::steady_clock::now();
    std::string line = "dockgate: running";
    for (auto& [name, since] : running_)
      line += " " + name + " " + format_seconds(std::chrono::duration_cast<std::chrono::milliseconds>(now - since));
    err_ << ("\r\033[K" + line) << std::flush;
    status_shown_ = true;
  }
}

}  // namespace dg::steps
