// adapters/ci/review.cpp over a scripted transport: what only a hostile or odd answer reaches.
#include "adapters/ci/platforms.hpp"
#include "tests/adapters/ci/fake_transport.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

ci::ApiClient client(test::FakeTransport& http) {
  ci::RetryPolicy retry;
  retry.max_attempts = 1;
  retry.sleep = [](std::chrono::milliseconds) {};
  return ci::ApiClient(http, retry, "GitHub", "https://api.github.example", {{"Authorization", "Bearer t"}}, {"t"});
}

}  // namespace

TEST_SUITE("adapters.ci.review") {
  TEST_CASE("a pull request number that is not a number is an error before GraphQL and not a crash") {
    test::FakeTransport http;
    // Our comment for a finding that is gone: the review then looks for its thread.
    http.script.push_back(test::respond(
        200, R"([{"id": 11, "body": "x\n<!-- dockgate-review: feed key=k -->", "in_reply_to_id": null}])"));
    auto api = client(http);
    // The number from a result file's context, say.
    const ci::ReviewTarget t{.repository = "o/r",
                             .project = "",
                             .number = "7x",
                             .head_sha = "",
                             .graphql_url = "https://api.github.example/graphql",
                             .key = "k"};
    ci::PublishOptions::Review opt;
    opt.enabled = true;
    opt.diff = report::Diff{};
    model::Run run;
    auto r = ci::github_review(api, t, run, opt);
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("'7x' is not a number") != std::string::npos);
    CHECK(http.requests.size() == 1);
  }

  TEST_CASE("the GraphQL endpoint sits beside the REST root") {
    CHECK(ci::github_graphql_url({}, "https://api.github.com") == "https://api.github.com/graphql");
    CHECK(ci::github_graphql_url({}, "https://ghe.example/api/v3") == "https://ghe.example/api/graphql");
    CHECK(ci::github_graphql_url({{"GITHUB_GRAPHQL_URL", "https://x.example/graphql/"}}, "https://api.github.com") ==
          "https://x.example/graphql");
  }
}
