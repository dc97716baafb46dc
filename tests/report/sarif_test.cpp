#include <nlohmann/json.hpp>

#include <set>

#include "adapters/ingest/sniff.hpp"
#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"

using namespace dg;
using nlohmann::json;

namespace {
test::fs::path sarif_schema() { return test::corpus("schemas/sarif-schema-2.1.0.json"); }

// A run built from real corpus reports: trivy image scan, hadolint, bandit.
model::Run corpus_run() {
  model::Run run;
  run.dockgate_version = "0.1.0-test";
  for (auto* rel : {"hadolint/dd-one_dockerfile.json", "trivy/golden-alpine-310.json", "bandit/dd-one_vuln.json",
                    "trivy/golden-secrets.json"}) {
    auto r = ingest::parse_report(test::corpus(rel));
    REQUIRE_MESSAGE(r, rel);
    for (auto& s : r->steps) run.steps.push_back(std::move(s));
  }
  return run;
}
}  // namespace

TEST_SUITE("report.sarif") {
  TEST_CASE("mixed run matches the golden file") {
    test::check_golden("mixed.sarif", report::write_sarif(test::mixed_run()));
  }

  TEST_CASE("one run per tool with rules results and fingerprints") {
    auto j = json::parse(report::write_sarif(test::mixed_run()));
    CHECK(j["version"] == "2.1.0");
    std::set<std::string> tools;
    for (auto& r : j["runs"]) CHECK(tools.insert(r["tool"]["driver"]["name"].get<std::string>()).second);
    // grype errored with no findings: no run (an empty one would close its alerts);
    // smoke-test and image-size share the dockgate run.
    CHECK(tools == std::set<std::string>{"hadolint", "trivy", "bandit", "dockgate"});
    for (auto& r : j["runs"]) {
      auto& rules = r["tool"]["driver"]["rules"];
      CHECK(r["automationDetails"]["id"].get<std::string>().starts_with("image-gate/"));
      for (auto& res : r["results"]) {
        auto idx = res["ruleIndex"].get<std::size_t>();
        REQUIRE(idx < rules.size());
        CHECK(rules[idx]["id"] == res["ruleId"]);
        CHECK(!res["partialFingerprints"]["dockgate/v1"].get<std::string>().empty());
        auto& loc = res["locations"][0];
        CHECK(loc["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%");
      }
    }
    auto& trivy = j["runs"][1];
    CHECK(trivy["tool"]["driver"]["name"] == "trivy");
    auto& rule0 = trivy["tool"]["driver"]["rules"][0];
    CHECK(rule0["properties"]["security-severity"] == "9.5");
    CHECK(rule0["properties"]["tags"][0] == "security");
    bool waived = false, image = false;
    for (auto& res : trivy["results"]) {
      if (res.contains("suppressions")) {
        waived = true;
        CHECK(res["suppressions"][0]["kind"] == "external");
        CHECK(res["suppressions"][0]["justification"] == "DH not used by the service");
      }
      if (res["ruleId"] == "CVE-2023-0286") {
        image = true;
        CHECK(res["baselineState"] == "new");
        CHECK(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "Dockerfile");
        CHECK(res["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
        CHECK(res["locations"][0]["logicalLocations"][1]["name"] == "libssl3@3.0.7-1");
      }
    }
    CHECK(waived);
    CHECK(image);
    CHECK(j.dump().find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
  }

  TEST_CASE("valid against the SARIF 2.1.0 schema") {
    test::TempDir tmp;
    test::write(tmp / "mixed.sarif", report::write_sarif(test::mixed_run()));
    CHECK(test::validate_json_schema(sarif_schema(), tmp / "mixed.sarif") == "");
    test::write(tmp / "corpus.sarif", report::write_sarif(corpus_run()));
    CHECK(test::validate_json_schema(sarif_schema(), tmp / "corpus.sarif") == "");
  }

  TEST_CASE("SARIF Multitool validate reports no error") {
    auto mt = test::node_tool("sarif-multitool");
    if (!test::need(!mt.empty(), "sarif-multitool")) return;
    test::TempDir tmp;
    test::write(tmp / "mixed.sarif", report::write_sarif(test::mixed_run()));
    test::write(tmp / "corpus.sarif", report::write_sarif(corpus_run()));
    auto out = tmp / "validation.sarif";
    // Both files in one call: the tool takes seconds to start.
    auto r = test::run_process({mt, "validate", (tmp / "mixed.sarif").string(), (tmp / "corpus.sarif").string(),
                                "--output", out.string(), "--log", "ForceOverwrite", "--quiet"},
                               {{"DOTNET_CLI_TELEMETRY_OPTOUT", "1"}}, {}, 300, tmp.path);
    REQUIRE_MESSAGE(test::fs::exists(out), r.out << r.err);
    auto log = json::parse(test::read(out));
    std::string errors;
    std::size_t warnings = 0;
    for (auto& run : log["runs"]) {
      for (auto& res : run.value("results", json::array())) {
        std::string level = res.value("level", "warning");
        if (level == "error") errors += res.dump() + "\n";
        else ++warnings;
      }
      for (auto& inv : run.value("invocations", json::array()))
        for (auto& n : inv.value("toolExecutionNotifications", json::array()))
          if (n.value("level", "") == "error") errors += n.dump() + "\n";
    }
    CHECK_MESSAGE(errors.empty(), errors);
    MESSAGE("sarif-multitool: 0 errors, " << warnings << " warnings");
  }

  TEST_CASE("paths become repository-relative URIs") {
    auto run = test::mixed_run();
    run.steps[0].findings[0].location.path = "./docker/My File#1.Dockerfile";
    auto j = json::parse(report::write_sarif(run));
    bool found = false;
    for (auto& res : j["runs"][0]["results"])
      if (res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docker/My%20File%231.Dockerfile")
        found = true;
    CHECK(found);
  }
}
