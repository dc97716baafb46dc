#pragma once
// Starts tests/data/ci/fake_api.py on 127.0.0.1 (a free port it picks and prints), reads its
// request log, and stops it: /shutdown first, then a kill of its process group if it lingers.
#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "src/util/http.hpp"
#include "src/util/process.hpp"
#include "tests/support.hpp"

namespace dg::test {

class FakeApi {
 public:
  explicit FakeApi(std::vector<std::string> args, int lifetime_s = 90) {
    log_path = dir / "requests.jsonl";
    util::BackgroundSpec spec;
    spec.argv = {"/usr/bin/python3", data("ci/fake_api.py").string(), "--log", log_path.string(),
                 "--lifetime", std::to_string(lifetime_s)};
    spec.argv.insert(spec.argv.end(), args.begin(), args.end());
    // Every GitHub request body is checked against GitHub's documented schema.
    if (std::find(args.begin(), args.end(), "--openapi") == args.end()) {
      spec.argv.push_back("--openapi");
      spec.argv.push_back(corpus("schemas/github-rest-openapi-fragment.json").string());
    }
    spec.log = output_;
    auto p = util::BackgroundProcess::start(spec);
    if (!p) return;
    proc_ = std::move(*p);
    // The first line of its output is the port. A loaded machine can take seconds to start python.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && proc_.running()) {
      auto text = read(output_);
      if (auto nl = text.find('\n'); nl != std::string::npos) {
        try {
          port = std::stoi(text.substr(0, nl));
        } catch (...) {
          port = 0;
        }
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  ~FakeApi() {
    if (port) {  // ask first, so the request log is complete
      util::HttpRequest req;
      req.url = url() + "/shutdown";
      req.timeout_s = 3;
      util::make_curl_transport()->send(req);
    }
    for (int i = 0; i < 50 && proc_.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    proc_.kill_now();  // a no-op once it has exited; otherwise only the group this object started
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

  // What the server printed after its port line: Python tracebacks, if any.
  std::string server_errors() const {
    auto text = read(output_);
    auto nl = text.find('\n');
    return nl == std::string::npos ? std::string() : text.substr(nl + 1);
  }

  TempDir dir;
  fs::path log_path;
  int port = 0;

 private:
  fs::path output_ = dir / "server.out";
  util::BackgroundProcess proc_;
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
