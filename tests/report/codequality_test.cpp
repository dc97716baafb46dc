#include <nlohmann/json.hpp>

#include <set>

#include "adapters/ingest/sniff.hpp"
#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"
#include "tests/report/streaming_fixture.hpp"

using namespace dg;


TEST_SUITE("report.codequality") {
  TEST_CASE("mixed run matches the golden file") {
    test::check_golden("mixed.codequality.json", report::write_codequality(test::mixed_run()));
  }

  TEST_CASE("valid against our schema as is the GitLab fixture") {
    auto schema = test::source_dir() / "schemas/gitlab-codequality.schema.json";
    CHECK(test::validate_json_schema(schema, test::corpus("schemas/gitlab-codequality-example-codeclimate.json")) == "");
    test::TempDir tmp;
    test::write(tmp / "cq.json", report::write_codequality(test::mixed_run()));
    CHECK(test::validate_json_schema(schema, tmp / "cq.json") == "");
    auto parsed = ingest::parse_report(test::corpus("trivy/golden-alpine-310.json"));
    REQUIRE(parsed);
    model::Run run;
    run.steps = parsed->steps;
    auto text = report::write_codequality(run);
    test::write(tmp / "trivy.json", text);
    CHECK(test::validate_json_schema(schema, tmp / "trivy.json") == "");
    // one issue per finding, every fingerprint unique (GitLab dedups by it); counted with jq
    if (!test::need_program("jq")) return;
    auto jq = test::run_process({"jq", "[.Results[].Vulnerabilities // [] | length] | add",
                                 test::corpus("trivy/golden-alpine-310.json").string()});
    REQUIRE(jq.code == 0);
    auto j = nlohmann::json::parse(text);
    CHECK(j.size() == static_cast<std::size_t>(std::stoi(jq.out)));
    std::set<std::string> fps;
    for (auto& i : j) fps.insert(i["fingerprint"].get<std::string>());
    CHECK(fps.size() == j.size());
  }

  TEST_CASE("severity mapping waived findings and image findings on the Dockerfile") {
    auto j = nlohmann::json::parse(report::write_codequality(test::mixed_run()));
    std::map<std::string, std::string> sev;
    for (auto& i : j) sev[i["check_name"]] = i["severity"];
    CHECK(sev["CVE-2023-0286"] == "blocker");
    CHECK(sev["CVE-2023-4911"] == "critical");
    // Below fail-on high, so not counted: never shown above minor (issue 12).
    CHECK(sev["DL3008"] == "info");
    CHECK(sev["B105"] == "info");
    CHECK(!sev.contains("DL3059"));          // waived
    CHECK(!sev.contains("CVE-2023-5678"));  // waived
    for (auto& i : j)
      if (i["check_name"] == "CVE-2023-0286" || i["check_name"] == "size/over-budget") {
        CHECK(i["location"]["path"] == "Dockerfile");
        CHECK(i["location"]["lines"]["begin"] == 1);
      }
    CHECK(j.dump().find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
  }

  TEST_CASE("the same vulnerability in two steps keeps two distinct fingerprints") {
    auto run = test::mixed_run();
    model::StepResult grype = run.steps[1];
    grype.name = "grype";
    grype.tool = "grype";
    run.steps[2] = grype;
    auto j = nlohmann::json::parse(report::write_codequality(run));
    std::set<std::string> fps;
    for (auto& i : j) fps.insert(i["fingerprint"].get<std::string>());
    CHECK(fps.size() == j.size());
  }

  TEST_CASE("Code Quality written to a sink in pieces of about 1 MiB makes the same text") {
    auto run = test::big_run();
    test::Pieces sink;
    report::write_codequality(run, sink);
    std::string joined = sink.joined();
    CHECK(sink.all.size() > 2);
    CHECK(joined == report::write_codequality(run));
  }
}
