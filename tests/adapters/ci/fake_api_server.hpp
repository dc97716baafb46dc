#pragma once
// Starts tests/data/ci/fake_api.py on 127.0.0.1 (a free port it picks and prints), reads its
// request log, and stops it: /shutdown first, then a kill of that one process if it lingers.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "src/util/http.hpp"
#include "tests/support.hpp"

extern char** environ;

namespace dg::test {

class FakeApi {
 public:
  explicit FakeApi(std::vector<std::string> args, int lifetime_s = 90) {
    log_path = dir / "requests.jsonl";
    std::vector<std::string> argv{"/usr/bin/python3", data("ci/fake_api.py").string(), "--log", log_path.string(),
                                  "--lifetime", std::to_string(lifetime_s)};
    argv.insert(argv.end(), args.begin(), args.end());
    // Every GitHub request body is checked against GitHub's documented schema.
    if (std::find(args.begin(), args.end(), "--openapi") == args.end()) {
      argv.push_back("--openapi");
      argv.push_back(corpus("schemas/github-rest-openapi-fragment.json").string());
    }
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, (dir / "server.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> cargs;
    for (auto& a : argv) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    int rc = ::posix_spawn(&pid_, cargs[0], &fa, nullptr, cargs.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(out[1]);
    if (rc != 0) {
      ::close(out[0]);
      pid_ = 0;
      return;
    }
    // The first line is the port. A loaded machine can take seconds to start python.
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out[0], POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[64];
      ssize_t n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    try {
      port = std::stoi(line);
    } catch (...) {
      port = 0;
    }
  }

  ~FakeApi() {
    if (pid_ <= 0) return;
    if (port) {
      util::HttpRequest req;
      req.url = url() + "/shutdown";
      req.timeout_s = 3;
      util::make_curl_transport()->send(req);
    }
    for (int i = 0; i < 50; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ::kill(pid_, SIGKILL);  // only the server this object started
    ::waitpid(pid_, nullptr, 0);
  }

  FakeApi(const FakeApi&) = delete;
  FakeApi& operator=(const FakeApi&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }

  // Every request so far, in order (the /shutdown request excluded).
  std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(read(log_path));
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("path", "") != "/shutdown") out.push_back(j);
    }
    return out;
  }

  std::string server_errors() const { return read(dir / "server.err"); }

  TempDir dir;
  fs::path log_path;
  int port = 0;

 private:
  pid_t pid_ = 0;
};

// "GET /path 200" lines, for readable assertions and failure messages.
inline std::vector<std::string> summarize(const std::vector<nlohmann::json>& reqs) {
  std::vector<std::string> out;
  for (auto& r : reqs) {
    std::string s = r.value("method", "") + " " + r.value("path", "");
    if (r.contains("page")) s += " page=" + std::to_string(r["page"].get<int>());
    s += " " + std::to_string(r.value("status", 0));
    if (r.contains("violation")) s += " VIOLATION: " + r["violation"].get<std::string>();
    out.push_back(s);
  }
  return out;
}

}  // namespace dg::test
