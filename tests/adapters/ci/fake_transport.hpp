#pragma once
// An HttpTransport that records every request and answers from a script, for unit tests of the
// CI adapters (the end-to-end tests use a real server, tests/data/ci/fake_api.py).
#include <chrono>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "adapters/ci/ci.hpp"
#include "src/util/http.hpp"

namespace dg::test {

inline util::HttpResponse respond(long status, std::string body = {},
                                  std::map<std::string, std::string> headers = {}) {
  util::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

inline util::HttpResponse timeout_response() {
  util::HttpResponse r;
  r.error = "Operation timed out after 30000 milliseconds";
  r.timed_out = true;
  return r;
}

class FakeTransport final : public util::HttpTransport {
 public:
  std::vector<util::HttpRequest> requests;
  std::deque<util::HttpResponse> script;  // answered in order; then `fallback`
  std::function<util::HttpResponse(const util::HttpRequest&)> fallback = [](const util::HttpRequest&) {
    return respond(599, R"({"message":"unscripted request"})");
  };

  util::HttpResponse send(const util::HttpRequest& req) override {
    requests.push_back(req);
    if (!script.empty()) {
      auto r = script.front();
      script.pop_front();
      return r;
    }
    return fallback(req);
  }

  std::string header(std::size_t i, const std::string& name) const {
    for (auto& [k, v] : requests.at(i).headers)
      if (k == name) return v;
    return {};
  }
};

// A retry policy that records the waits instead of sleeping.
struct RecordedSleeps {
  std::vector<std::chrono::milliseconds> waits;
  ci::RetryPolicy policy(std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
    ci::RetryPolicy p;
    p.sleep = [this](std::chrono::milliseconds d) { waits.push_back(d); };
    p.now = [now] { return now; };
    return p;
  }
};

}  // namespace dg::test
