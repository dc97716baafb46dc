#include "adapters/ci/api.hpp"
#include "tests/adapters/ci/fake_transport.hpp"
#include "tests/support.hpp"

using namespace dg;
using std::chrono::milliseconds;

namespace {

constexpr const char* kToken = "ghp_RETRYTOKEN0123456789abcdef";

ci::ApiClient client(test::FakeTransport& http, const ci::RetryPolicy& p) {
  return ci::ApiClient(http, p, "GitHub", "https://api.github.com", {{"Authorization", std::string("Bearer ") + kToken}},
                       {kToken});
}

const std::string kUrl = "https://api.github.com/repos/o/r/issues/1/comments?per_page=100";

}  // namespace

TEST_SUITE("adapters.ci.retry") {
  TEST_CASE("429 with Retry-After seconds waits that long then succeeds") {
    test::FakeTransport http;
    http.script = {test::respond(429, "{}", {{"retry-after", "1"}}), test::respond(200, "[]")};
    test::RecordedSleeps s;
    auto api = client(http, s.policy());
    auto r = api.send("GET", kUrl);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(http.requests.size() == 2);
    REQUIRE(s.waits.size() == 1);
    CHECK(s.waits[0] == milliseconds(1000));
  }

  TEST_CASE("Retry-After as an HTTP date") {
    auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    auto w = ci::server_wait(test::respond(429, "", {{"retry-after", "Sun, 06 Nov 1994 08:49:40 GMT"}}), now);
    REQUIRE(w);
    CHECK(*w == milliseconds(3000));
    auto past = ci::server_wait(test::respond(429, "", {{"retry-after", "Sun, 06 Nov 1994 08:49:00 GMT"}}), now);
    REQUIRE(past);
    CHECK(*past == milliseconds(0));
    CHECK_FALSE(ci::server_wait(test::respond(429, "", {{"retry-after", "soon"}}), now));
  }

  TEST_CASE("x-ratelimit-reset is honored only when x-ratelimit-remaining is 0") {
    auto now = std::chrono::system_clock::from_time_t(1700000000);
    auto w = ci::server_wait(test::respond(403, "", {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1700000004"}}), now);
    REQUIRE(w);
    CHECK(*w == milliseconds(5000));
    CHECK_FALSE(ci::server_wait(test::respond(403, "", {{"x-ratelimit-remaining", "12"}, {"x-ratelimit-reset", "1700000004"}}), now));
  }

  TEST_CASE("GitHub's rate-limit 403 is retried and a plain 403 is not") {
    auto now = std::chrono::system_clock::from_time_t(1700000000);
    test::FakeTransport http;
    http.script = {test::respond(403, R"({"message":"API rate limit exceeded"})",
                                 {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1700000002"}}),
                   test::respond(200, "[]")};
    test::RecordedSleeps s;
    auto api = client(http, s.policy(now));
    auto r = api.send("GET", kUrl);
    REQUIRE(r);
    CHECK(r->status == 200);
    REQUIRE(s.waits.size() == 1);
    CHECK(s.waits[0] == milliseconds(3000));

    test::FakeTransport plain;
    plain.script = {test::respond(403, R"({"message":"Resource not accessible by integration"})")};
    test::RecordedSleeps s2;
    auto api2 = client(plain, s2.policy());
    auto r2 = api2.send("POST", kUrl, "{}");
    REQUIRE(r2);
    CHECK(r2->status == 403);
    CHECK(plain.requests.size() == 1);
    CHECK(s2.waits.empty());
  }

  TEST_CASE("5xx backs off exponentially and gives up after max_attempts") {
    test::FakeTransport http;
    http.fallback = [](const util::HttpRequest&) { return test::respond(502, "bad gateway"); };
    test::RecordedSleeps s;
    auto p = s.policy();
    p.max_attempts = 4;
    p.first_delay = milliseconds(100);
    auto api = client(http, p);
    auto r = api.send("GET", kUrl);
    REQUIRE(r);  // the final answer is returned; the caller names the request in its error
    CHECK(r->status == 502);
    CHECK(http.requests.size() == 4);
    CHECK((s.waits == std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400)}));
  }

  TEST_CASE("the total wait is bounded") {
    test::FakeTransport http;
    http.fallback = [](const util::HttpRequest&) { return test::respond(503, ""); };
    test::RecordedSleeps s;
    auto p = s.policy();
    p.max_attempts = 50;
    p.first_delay = milliseconds(1000);
    p.max_delay = milliseconds(8000);
    p.max_total = milliseconds(20000);
    auto api = client(http, p);
    REQUIRE(api.send("GET", kUrl));
    milliseconds total{0};
    for (auto w : s.waits) total += w;
    CHECK(total <= milliseconds(20000));
    CHECK(s.waits.size() == 4);  // 1 + 2 + 4 + 8 = 15 s; the next 8 s would pass 20 s
  }

  TEST_CASE("a Retry-After longer than max_delay is not waited for") {
    test::FakeTransport http;
    http.script = {test::respond(429, "{}", {{"retry-after", "3600"}})};
    test::RecordedSleeps s;
    auto api = client(http, s.policy());
    auto r = api.send("GET", kUrl);
    REQUIRE(r);
    CHECK(r->status == 429);
    CHECK(s.waits.empty());
    CHECK(http.requests.size() == 1);
  }

  TEST_CASE("timeouts are retried then become a Step error without the token") {
    test::FakeTransport http;
    http.fallback = [](const util::HttpRequest&) {
      auto r = test::timeout_response();
      r.error += std::string(" while sending Bearer ") + kToken;  // a transport echoing the header
      return r;
    };
    test::RecordedSleeps s;
    auto p = s.policy();
    p.max_attempts = 3;
    auto api = client(http, p);
    auto r = api.send("GET", kUrl);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Step);
    CHECK(http.requests.size() == 3);
    CHECK(r.error().message.find("unreachable") != std::string::npos);
    CHECK(r.error().message.find(kToken) == std::string::npos);
    CHECK(r.error().message.find("***") != std::string::npos);
  }

  TEST_CASE("every request carries the configured headers and JSON bodies their content type") {
    test::FakeTransport http;
    http.script = {test::respond(201, "{}")};
    test::RecordedSleeps s;
    auto api = client(http, s.policy());
    REQUIRE(api.send("POST", kUrl, R"({"body":"x"})"));
    CHECK(http.header(0, "Authorization") == std::string("Bearer ") + kToken);
    CHECK(http.header(0, "Content-Type") == "application/json");
    CHECK(http.requests[0].method == "POST");
  }
}
