#include "adapters/ci/api.hpp"
#include "tests/adapters/ci/fake_transport.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("adapters.ci.api") {
  TEST_CASE("next link from GitHub and GitLab Link headers") {
    CHECK(ci::next_link(R"(<https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=5>; rel="last")") ==
          "https://api.github.com/repositories/1/issues/7/comments?per_page=100&page=2");
    CHECK(ci::next_link(R"(<https://gitlab.example/api/v4/projects/1/merge_requests/3/notes?page=1&per_page=20>; rel="prev", <https://gitlab.example/api/v4/projects/1/merge_requests/3/notes?page=3&per_page=20>; rel="next")") ==
          "https://gitlab.example/api/v4/projects/1/merge_requests/3/notes?page=3&per_page=20");
    CHECK(ci::next_link(R"(<https://x/a?page=1>; rel="first", <https://x/a?page=1>; rel="prev")") == "");
    CHECK(ci::next_link("") == "");
    CHECK(ci::next_link("garbage") == "");
  }

  TEST_CASE("URL helpers") {
    CHECK(ci::url_encode("platform/images/app") == "platform%2Fimages%2Fapp");
    CHECK(ci::url_encode("a b~c") == "a%20b~c");
    CHECK(ci::origin_of("HTTPS://API.github.com/repos/o/r") == "https://api.github.com");
    CHECK(ci::origin_of("https://user:secret@host:8443/x") == "https://host:8443");
    CHECK(ci::origin_of("no-scheme/x") == "");
    CHECK(ci::path_of("https://api.github.com/repos/o/r?x=1") == "/repos/o/r?x=1");
    CHECK(ci::path_of("https://api.github.com") == "/");
  }

  TEST_CASE("same origin check guards the token") {
    test::FakeTransport http;
    ci::ApiClient api(http, {}, "GitHub", "http://127.0.0.1:8080/api/v3", {}, {});
    CHECK(api.same_origin("http://127.0.0.1:8080/repos/o/r?page=2"));
    CHECK_FALSE(api.same_origin("http://127.0.0.1:9090/repos/o/r?page=2"));
    CHECK_FALSE(api.same_origin("https://evil.example/repos/o/r"));
  }

  TEST_CASE("errors name the request and the API's own message and redact secrets") {
    test::FakeTransport http;
    ci::ApiClient api(http, {}, "GitHub", "https://api.github.com", {}, {"tok-SECRET-123"});
    auto e = api.error("PATCH", "https://api.github.com/repos/o/r/issues/comments/5",
                       test::respond(422, R"({"message":"Validation Failed for tok-SECRET-123","errors":[]})"));
    CHECK(e.kind == util::ErrorKind::Step);
    CHECK(e.message == "GitHub: PATCH /repos/o/r/issues/comments/5: HTTP 422 Unprocessable Entity: Validation Failed for ***");
    auto g = api.error("GET", "https://x/api/v4/projects/1", test::respond(404, R"({"error":"404 Not Found"})"), "hint");
    CHECK(g.message == "GitHub: GET /api/v4/projects/1: HTTP 404 Not Found: 404 Not Found (hint)");
    auto plain = api.error("GET", "https://x/a", test::respond(500, "<html>oops</html>"));
    CHECK(plain.message == "GitHub: GET /a: HTTP 500 Internal Server Error");
  }
}
