#pragma once
// Helpers for the tests that start real processes: fake tools on PATH, free loopback ports,
// and "is that process really gone".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "tests/support.hpp"

namespace dg::test {

// Sets environment variables for the duration of a test (children inherit them), then restores.
class ScopedEnv {
 public:
  ScopedEnv() = default;
  ~ScopedEnv() {
    for (auto& [k, v] : saved_) {
      if (v) ::setenv(k.c_str(), v->c_str(), 1);
      else ::unsetenv(k.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  void set(const std::string& k, const std::string& v) {
    remember(k);
    ::setenv(k.c_str(), v.c_str(), 1);
  }
  void unset(const std::string& k) {
    remember(k);
    ::unsetenv(k.c_str());
  }
  // tests/data/fake-tools first on PATH (plus the system directories, so sh and python3 work).
  void fake_tools_on_path() { set("PATH", data("fake-tools").string() + ":/usr/bin:/bin"); }
  // PATH with only the system directories: no trivy, grype, hadolint there.
  void system_path_only() { set("PATH", "/usr/bin:/bin"); }

 private:
  void remember(const std::string& k) {
    if (saved_.count(k)) return;
    const char* v = std::getenv(k.c_str());
    saved_[k] = v ? std::optional<std::string>(v) : std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

// A port nobody listens on right now (bind to 0, read it back, close).
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

// True when `pid` no longer runs: no such process, or a zombie nobody has reaped yet.
inline bool process_gone(int pid) {
  if (pid <= 0) return true;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  auto paren = stat.rfind(") ");
  return paren == std::string::npos || stat[paren + 2] == 'Z';
}

inline int read_pid(const fs::path& p) {
  std::ifstream f(p);
  int pid = 0;
  f >> pid;
  return pid;
}

// The smoke-test server (tests/data/smoke/server.py) as a command.
inline std::vector<std::string> server_cmd(int port, std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{"/usr/bin/python3", data("smoke/server.py").string(), "--port", std::to_string(port),
                                "--max-lifetime", "30"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

}  // namespace dg::test
