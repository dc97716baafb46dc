#pragma once
// Starts tests/data/ci/fake_api.py on 127.0.0.1 (a free port it picks and prints), reads its
// request log, and stops it: /shutdown first, then a kill of its process group if it lingers.
#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "src/util/http.hpp"
#include "src/util/process.hpp"
#include "tests/support.hpp"

namespace dg::test {

// A CI job's environment for dockgate run as a process: every variable the adapters read emptied
// first (the test runner may itself run in CI) and git's own configuration ignored.
inline std::map<std::string, std::string> ci_clean_env() {
  std::map<std::string, std::string> env;
  for (const char* k :
       {"GITHUB_ACTIONS", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "GITHUB_REF",
        "GITHUB_HEAD_REF", "GITHUB_BASE_REF", "GITHUB_API_URL", "GITHUB_GRAPHQL_URL", "GITHUB_SERVER_URL",
        "GITHUB_WORKSPACE", "GITLAB_CI", "GITLAB_TOKEN", "CI_JOB_TOKEN", "CI_API_V4_URL", "GITLAB_API_URL",
        "CI_PROJECT_ID", "CI_PROJECT_DIR", "CI_MERGE_REQUEST_IID", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "JENKINS_URL",
        "JENKINS_HOME", "CHANGE_ID", "CHANGE_URL", "CHANGE_TARGET", "GIT_URL", "WORKSPACE", "DOCKGATE_FORGE",
        "DOCKGATE_CONFIG"})
    env[k] = "";
  env["GIT_CONFIG_GLOBAL"] = "/dev/null";
  env["GIT_CONFIG_NOSYSTEM"] = "1";
  return env;
}

// A GitHub Actions pull-request job (workflow gate, job scan) whose API is `api_url`.
inline std::map<std::string, std::string> ci_github_env(const std::string& api_url, const std::string& token,
                                                        const std::string& event = "github-event-pull_request.json") {
  auto env = ci_clean_env();
  env["GITHUB_ACTIONS"] = "true";
  env["GITHUB_REPOSITORY"] = "octo-org/app";
  env["GITHUB_SHA"] = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
  env["GITHUB_EVENT_PATH"] = data("ci/" + event).string();
  env["GITHUB_SERVER_URL"] = "https://github.com";
  env["GITHUB_API_URL"] = api_url;
  env["GITHUB_WORKFLOW"] = "gate";
  env["GITHUB_JOB"] = "scan";
  env["GITHUB_TOKEN"] = token;
  return env;
}

// A GitLab merge-request pipeline (project 42, MR !3, job ci) whose API is under `api_url`.
inline std::map<std::string, std::string> ci_gitlab_env(const std::string& api_url, const std::string& token) {
  auto env = ci_clean_env();
  env["GITLAB_CI"] = "true";
  env["CI_SERVER_URL"] = "https://gitlab.example.org";
  env["CI_API_V4_URL"] = api_url + "/api/v4";
  env["CI_PROJECT_ID"] = "42";
  env["CI_PROJECT_PATH"] = "grp/app";
  env["CI_MERGE_REQUEST_IID"] = "3";
  env["CI_JOB_NAME"] = "ci";
  env["GITLAB_TOKEN"] = token;
  return env;
}

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

// The fake API found no request off the documented shapes, and nothing failed inside it.
inline void check_no_violation(const FakeApi& api) {
  for (auto& r : api.requests()) CHECK_MESSAGE(!r.contains("violation"), r.dump());
  CHECK_MESSAGE(api.server_errors().empty(), api.server_errors());
}

// Request summaries one per line, for failure messages.
inline std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += x + "\n";
  return s;
}

}  // namespace dg::test
