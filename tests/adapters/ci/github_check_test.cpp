#include <nlohmann/json.hpp>

#include "adapters/ci/platforms.hpp"
#include "tests/adapters/ci/fake_transport.hpp"
#include "tests/support.hpp"

using namespace dg;
using nlohmann::json;

namespace {

model::Run located_findings(std::size_t n) {
  model::Run run;
  run.verdict = model::Verdict::Fail;
  model::StepResult s;
  s.name = "bandit";
  for (std::size_t i = 0; i < n; ++i) {
    model::Finding f;
    f.rule_id = "B105";
    f.title = "Possible hardcoded password";
    f.severity = i < 10 ? model::Severity::Low : model::Severity::High;
    f.location.path = "./src/app.py";
    f.location.line = static_cast<int>(i + 1);
    s.findings.push_back(f);
  }
  model::Finding image;  // no file: cannot be an annotation
  image.rule_id = "CVE-2024-0001";
  image.package.name = "openssl";
  s.findings.push_back(image);
  run.steps.push_back(s);
  return run;
}

}  // namespace

TEST_SUITE("adapters.ci.github_check") {
  TEST_CASE("annotations go out in batches of at most 50 and the last request completes the run") {
    test::FakeTransport http;
    http.script = {test::respond(201, R"({"id":123,"html_url":"https://github.com/o/r/runs/123"})")};
    http.fallback = [](const util::HttpRequest&) { return test::respond(200, R"({"id":123})"); };
    test::RecordedSleeps sleeps;
    ci::ApiClient api(http, sleeps.policy(), "GitHub", "https://api.github.com", {}, {});
    ci::CheckRun spec;
    spec.name = "dockgate";
    spec.head_sha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    spec.details_url = "https://github.com/o/r/actions/runs/1";
    spec.summary = std::string(70000, 'x');
    auto r = ci::github_check_run(api, "o/r", located_findings(120), spec);
    REQUIRE_MESSAGE(r, r.error().message);
    CHECK(r->annotations == 120);
    CHECK(r->url == "https://github.com/o/r/runs/123");
    REQUIRE(http.requests.size() == 4);
    auto create = json::parse(http.requests[0].body);
    CHECK(http.requests[0].url == "https://api.github.com/repos/o/r/check-runs");
    CHECK(create["name"] == "dockgate");
    CHECK(create["head_sha"] == spec.head_sha);
    CHECK(create["status"] == "in_progress");
    std::vector<std::size_t> sizes;
    for (std::size_t i = 1; i < 4; ++i) {
      CHECK(http.requests[i].method == "PATCH");
      CHECK(http.requests[i].url == "https://api.github.com/repos/o/r/check-runs/123");
      auto p = json::parse(http.requests[i].body);
      sizes.push_back(p["output"]["annotations"].size());
      CHECK(p["output"]["summary"].get<std::string>().size() <= 65535);
      CHECK(p.contains("conclusion") == (i == 3));
    }
    CHECK((sizes == std::vector<std::size_t>{50, 50, 20}));
    auto first = json::parse(http.requests[1].body)["output"]["annotations"][0];
    CHECK(first["annotation_level"] == "failure");  // worst first
    CHECK(first["path"] == "src/app.py");
    CHECK(json::parse(http.requests[3].body)["conclusion"] == "failure");
  }

  TEST_CASE("no located finding still completes the run in one PATCH") {
    test::FakeTransport http;
    http.script = {test::respond(201, R"({"id":5})"), test::respond(200, "{}")};
    test::RecordedSleeps sleeps;
    ci::ApiClient api(http, sleeps.policy(), "GitHub", "https://api.github.com", {}, {});
    model::Run run;
    ci::CheckRun spec{"dockgate", "abc", "", "all good", 1000};
    auto r = ci::github_check_run(api, "o/r", run, spec);
    REQUIRE(r);
    REQUIRE(http.requests.size() == 2);
    auto p = json::parse(http.requests[1].body);
    CHECK(p["conclusion"] == "success");
    CHECK(p["output"]["annotations"].empty());
  }

  TEST_CASE("a 403 on create is reported as denied and not an error") {
    test::FakeTransport http;
    http.script = {test::respond(403, R"({"message":"Resource not accessible by integration"})")};
    test::RecordedSleeps sleeps;
    ci::ApiClient api(http, sleeps.policy(), "GitHub", "https://api.github.com", {}, {});
    auto r = ci::github_check_run(api, "o/r", model::Run{}, ci::CheckRun{"dockgate", "abc", "", "", 10});
    REQUIRE(r);
    CHECK(r->denied);
    CHECK(r->denial.find("checks: write") != std::string::npos);
  }
}
