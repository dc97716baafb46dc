#include "src/steps/tool_step.hpp"

#include "tests/steps/steps_support.hpp"

using namespace dg;

namespace {

struct Fakes {
  test::TempDir tmp;
  test::ScopedEnv env;
  Fakes() {
    env.fake_tools_on_path();
    for (auto t : {"TRIVY", "GRYPE", "HADOLINT", "BANDIT"})
      for (auto v : {"_MODE", "_SLEEP", "_EXIT"}) env.unset(std::string("FAKE_") + t + v);
    env.set("FAKE_TRIVY_REPORT", test::corpus("trivy/golden-alpine-310.json").string());
    env.set("FAKE_GRYPE_REPORT", test::corpus("grype/snap-head-json-image.json").string());
    env.set("FAKE_HADOLINT_REPORT", test::corpus("hadolint/dd-one_dockerfile.json").string());
  }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("steps.tool_step") {
  TEST_CASE("plans put the user's args last") {
    steps::ToolStep t;
    t.args = {"--ignore-unfixed", "--exit-code", "5"};
    auto trivy = steps::plan_trivy(t, "app:1", "out");
    CHECK(trivy.argv == std::vector<std::string>{"trivy", "image", "--format", "json", "--output", "out/trivy.json",
                                                 "app:1", "--ignore-unfixed", "--exit-code", "5"});
    CHECK(trivy.findings_exit_codes == std::vector<int>{5});

    steps::ToolStep g;
    g.args = {"--fail-on=high"};
    auto grype = steps::plan_grype(g, "app:1", "out");
    CHECK(grype.argv == std::vector<std::string>{"grype", "app:1", "-o", "json", "--file", "out/grype.json", "--fail-on=high"});
    CHECK(grype.findings_exit_codes == std::vector<int>{2});
    CHECK(steps::plan_grype({}, "app:1", "out").findings_exit_codes.empty());

    steps::ToolStep b;
    b.paths = {"src", "lib"};
    b.args = {"-ll"};
    auto bandit = steps::plan_bandit(b, "out");
    CHECK(bandit.argv == std::vector<std::string>{"bandit", "-f", "json", "-o", "out/bandit.json", "-r", "src", "lib", "-ll"});

    auto hadolint = steps::plan_hadolint({}, "Dockerfile", "out");
    CHECK(hadolint.argv == std::vector<std::string>{"hadolint", "-f", "json", "Dockerfile"});
    CHECK(hadolint.report_on_stdout);

    steps::ToolStep existing;
    existing.report = "reports/trivy.sarif";
    auto ingest = steps::plan_trivy(existing, "app:1", "out");
    CHECK(ingest.argv.empty());
    CHECK(ingest.report == "reports/trivy.sarif");
    CHECK(ingest.family == "auto");
  }

  TEST_CASE("trivy writes its report and exit 0 is ok") {
    Fakes f;
    auto o = steps::run_tool(steps::plan_trivy({}, "alpine:3.10", f.tmp.path));
    CHECK_MESSAGE(o.errors.empty(), (o.errors.empty() ? std::string() : o.errors[0]));
    CHECK(o.ran);
    CHECK(o.exit_code == 0);
    CHECK(test::read(o.report) == test::read(test::corpus("trivy/golden-alpine-310.json")));
  }

  TEST_CASE("trivy --exit-code N with a report means findings") {
    Fakes f;
    f.env.set("FAKE_TRIVY_MODE", "findings");
    f.env.set("FAKE_TRIVY_EXIT", "5");
    steps::ToolStep t;
    t.args = {"--exit-code", "5"};
    auto o = steps::run_tool(steps::plan_trivy(t, "alpine:3.10", f.tmp.path));
    CHECK(o.errors.empty());
    CHECK(o.findings_exit);
    // The same exit code without --exit-code in the args is an error.
    auto e = steps::run_tool(steps::plan_trivy({}, "alpine:3.10", f.tmp.path));
    REQUIRE(!e.errors.empty());
    CHECK(contains(e.errors[0], "exit code 5"));
  }

  TEST_CASE("grype exit 2 with --fail-on is findings not an error") {
    Fakes f;
    f.env.set("FAKE_GRYPE_MODE", "findings");
    steps::ToolStep g;
    g.args = {"--fail-on", "medium"};
    auto o = steps::run_tool(steps::plan_grype(g, "app:1", f.tmp.path));
    CHECK(o.errors.empty());
    CHECK(o.exit_code == 2);
    CHECK(o.findings_exit);
  }

  TEST_CASE("hadolint exit 1 is findings and its stdout becomes the report") {
    Fakes f;
    f.env.set("FAKE_HADOLINT_MODE", "findings");
    auto o = steps::run_tool(steps::plan_hadolint({}, "Dockerfile", f.tmp.path));
    CHECK(o.errors.empty());
    CHECK(o.findings_exit);
    CHECK(test::read(f.tmp / "hadolint.json") == test::read(test::corpus("hadolint/dd-one_dockerfile.json")));
  }

  TEST_CASE("a crash is a step error with the tool's last words") {
    Fakes f;
    f.env.set("FAKE_TRIVY_MODE", "crash");
    auto o = steps::run_tool(steps::plan_trivy({}, "app:1", f.tmp.path));
    REQUIRE(o.errors.size() == 1);
    CHECK(contains(o.errors[0], "crashed"));
    CHECK(contains(o.errors[0], "signal 11"));
    CHECK(contains(o.log_excerpt, "panic: runtime error"));
  }

  TEST_CASE("exit 0 without a report is a step error") {
    Fakes f;
    f.env.set("FAKE_GRYPE_MODE", "no-report");
    auto o = steps::run_tool(steps::plan_grype({}, "app:1", f.tmp.path));
    REQUIRE(o.errors.size() == 1);
    CHECK(contains(o.errors[0], "was not written"));
  }

  TEST_CASE("a stale report from an earlier run is not taken for this one") {
    Fakes f;
    test::write(f.tmp / "trivy.json", "{\"old\": true}");
    f.env.set("FAKE_TRIVY_MODE", "no-report");
    auto o = steps::run_tool(steps::plan_trivy({}, "app:1", f.tmp.path));
    CHECK(!o.errors.empty());
    CHECK(!test::fs::exists(f.tmp / "trivy.json"));
  }

  TEST_CASE("an error exit is a step error") {
    Fakes f;
    f.env.set("FAKE_TRIVY_MODE", "fail");
    auto o = steps::run_tool(steps::plan_trivy({}, "app:1", f.tmp.path));
    REQUIRE(o.errors.size() == 1);
    CHECK(contains(o.errors[0], "exit code 1"));
    CHECK(contains(o.log_excerpt, "unable to initialize"));
  }

  TEST_CASE("a missing tool names an install hint") {
    Fakes f;
    f.env.system_path_only();
    auto o = steps::run_tool(steps::plan_trivy({}, "app:1", f.tmp.path));
    REQUIRE(o.errors.size() == 1);
    CHECK(contains(o.errors[0], "trivy not found on PATH"));
    CHECK(contains(o.errors[0], "https://aquasecurity.github.io/trivy/"));
    CHECK(contains(steps::not_found_message("grype", "grype"), "https://github.com/anchore/grype"));
    CHECK(contains(steps::not_found_message("hadolint", "hadolint"), "tool: builtin"));
  }

  TEST_CASE("a tool that hangs is killed at its timeout") {
    Fakes f;
    f.env.set("FAKE_GRYPE_SLEEP", "20");
    steps::ToolStep g;
    g.timeout = steps::Seconds(0.5);
    auto t0 = std::chrono::steady_clock::now();
    auto o = steps::run_tool(steps::plan_grype(g, "app:1", f.tmp.path));
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
    REQUIRE(o.errors.size() == 1);
    CHECK(contains(o.errors[0], "timed out"));
  }

  TEST_CASE("an existing report is ingested as it is") {
    steps::ToolStep t;
    t.report = test::corpus("trivy/golden-alpine-310.json").string();
    auto o = steps::run_tool(steps::plan_trivy(t, "", "unused"));
    CHECK(o.errors.empty());
    CHECK(!o.ran);
    CHECK(o.report == t.report);
    t.report = "no-such-report.json";
    auto missing = steps::run_tool(steps::plan_trivy(t, "", "unused"));
    REQUIRE(missing.errors.size() == 1);
    CHECK(contains(missing.errors[0], "no-such-report.json"));
  }

  TEST_CASE("real bandit on a small sample exits 1 with a JSON report") {
    if (!test::need_program("bandit")) return;
    test::TempDir tmp;
    test::write(tmp / "src/app.py",
                "import subprocess\n"
                "password = 'hunter2'\n"
                "def run(cmd):\n"
                "    return subprocess.call(cmd, shell=True)\n"
                "def calc(expr):\n"
                "    return eval(expr)\n");
    steps::ToolStep b;
    b.paths = {(tmp / "src").string()};
    auto o = steps::run_tool(steps::plan_bandit(b, tmp / "out"));
    CHECK_MESSAGE(o.errors.empty(), (o.errors.empty() ? std::string() : o.errors[0] + "\n" + o.log_excerpt));
    CHECK(o.exit_code == 1);
    CHECK(o.findings_exit);
    // Independent count of bandit's results, by python over the same report.
    auto count = test::run_process({"/usr/bin/python3", "-c", "import json,sys; print(len(json.load(open(sys.argv[1]))['results']))",
                                    o.report.string()});
    CHECK(count.code == 0);
    CHECK(std::stoi(count.out) >= 3);  // B105 password, B602 shell=True, B307 eval
  }
}
