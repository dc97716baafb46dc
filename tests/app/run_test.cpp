#include <chrono>
#include <nlohmann/json.hpp>

#include "tests/steps/steps_support.hpp"

using namespace dg;

namespace {

// Fake scanners on PATH, each copying a real corpus report, in a temp dir with a dockgate.yml.
struct Project {
  test::TempDir tmp;
  test::ScopedEnv env;
  Project() {
    env.fake_tools_on_path();
    env.set("FAKE_TRIVY_REPORT", test::corpus("trivy/golden-alpine-310.json").string());
    env.set("FAKE_GRYPE_REPORT", test::corpus("grype/snap-head-json-image.json").string());
    env.set("FAKE_HADOLINT_REPORT", test::corpus("hadolint/dd-one_dockerfile.json").string());
    env.set("FAKE_BANDIT_REPORT", test::corpus("bandit/dd-one_vuln.json").string());
    for (auto t : {"TRIVY", "GRYPE", "HADOLINT", "BANDIT"})
      for (auto v : {"_MODE", "_SLEEP", "_EXIT"}) env.unset(std::string("FAKE_") + t + v);
    test::write(tmp / "Dockerfile", "FROM python:3.12-slim\nCMD [\"python\"]\n");
  }
  // A dockgate.yml with absolute paths (the tests run dockgate in-process, in the test's cwd).
  std::string config(const std::string& steps) {
    auto p = tmp / "dockgate.yml";
    test::write(p, "image: app:dev\n"
                   "dockerfile: " + (tmp / "Dockerfile").string() + "\n"
                   "results-dir: " + (tmp / "out").string() + "\n"
                   "steps:\n" + steps);
    return p.string();
  }
  nlohmann::json result() const { return nlohmann::json::parse(test::read(tmp / "result.json")); }
  std::string json_path() const { return (tmp / "result.json").string(); }
};

std::vector<std::string> step_names(const nlohmann::json& j) {
  std::vector<std::string> v;
  for (auto& s : j["steps"]) v.push_back(s["name"]);
  return v;
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_SUITE("app.run") {
  TEST_CASE("run executes four 1-second scanners in parallel by default") {
    Project p;
    for (auto t : {"TRIVY", "GRYPE", "HADOLINT", "BANDIT"}) p.env.set(std::string("FAKE_") + t + "_SLEEP", "1");
    auto cfg = p.config("  lint: { tool: hadolint }\n  trivy: {}\n  grype: {}\n  bandit: { tool: fake-bandit, paths: [src] }\n");
    auto r = test::cli({"run", "--config", cfg, "--json", p.json_path()});
    // No --jobs: all four start before any of them is done (overlap, not a wall-time assertion; on a
    // 2-core runner the old default of one step per core ran them two by two).
    auto first_done = r.err.find(" done in ");
    REQUIRE_MESSAGE(first_done != std::string::npos, r.err);
    for (auto s : {"lint", "trivy", "grype", "bandit"})
      CHECK_MESSAGE(r.err.find(std::string("dockgate: ") + s + " started") < first_done, r.err);
    for (auto s : {"lint", "trivy", "grype", "bandit"}) {
      CHECK_MESSAGE(has(r.err, std::string("dockgate: ") + s + " started"), r.err);
      CHECK(has(r.err, std::string("dockgate: ") + s + " done in 1."));
    }
    CHECK(has(r.err, "dockgate: not configured, not run: smoke-test image-size"));
    CHECK(step_names(p.result()) == std::vector<std::string>{"lint", "trivy", "grype", "bandit"});
  }

  TEST_CASE("a missing tool is exit 4 with an install hint") {
    Project p;
    p.env.system_path_only();
    auto r = test::cli({"run", "--config", p.config("  trivy: {}\n"), "--json", p.json_path()});
    CHECK(r.code == 4);
    CHECK(has(r.err, "trivy not found on PATH: see https://aquasecurity.github.io/trivy/"));
    auto j = p.result();
    CHECK(j["steps"][0]["status"] == "error");
    CHECK(has(j["steps"][0]["errors"][0], "not found on PATH"));
  }

  TEST_CASE("a crashing tool is exit 4 with its stderr in the result") {
    Project p;
    p.env.set("FAKE_GRYPE_MODE", "crash");
    auto r = test::cli({"run", "--config", p.config("  grype: {}\n"), "--json", p.json_path(), "-q"});
    CHECK(r.code == 4);
    auto j = p.result();
    CHECK(has(j["steps"][0]["errors"][0], "crashed"));
    CHECK(has(j["steps"][0]["log_excerpt"], "panic"));
  }

  TEST_CASE("--only runs just the named steps") {
    Project p;
    auto cfg = p.config("  lint: { tool: hadolint }\n  grype: {}\n");
    auto r = test::cli({"run", "--config", cfg, "--only", "lint", "--json", p.json_path(), "--fail-on", "none"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(step_names(p.result()) == std::vector<std::string>{"lint"});
    CHECK(!has(r.err, "grype started"));
    auto bad = test::cli({"run", "--config", cfg, "--only", "lint,smoke"});
    CHECK(bad.code == 2);
    CHECK(has(bad.err, "unknown step 'smoke'"));
  }

  TEST_CASE("the lint findings from hadolint reach the gate") {
    Project p;
    p.env.set("FAKE_HADOLINT_MODE", "findings");
    auto r = test::cli({"run", "--config", p.config("  lint: { tool: hadolint }\n"), "--json", p.json_path(), "--fail-on",
                        "low"});
    CHECK_MESSAGE(r.code == 1, r.err);
    auto j = p.result();
    // dd-one_dockerfile.json holds 4 findings (CATALOG.md), counted here by python too.
    auto count = test::run_process({"/usr/bin/python3", "-c", "import json,sys; print(len(json.load(open(sys.argv[1]))))",
                                    test::corpus("hadolint/dd-one_dockerfile.json").string()});
    CHECK(j["steps"][0]["findings"].size() == static_cast<std::size_t>(std::stoi(count.out)));
    CHECK(j["steps"][0]["tool"] == "hadolint");
    CHECK(test::fs::exists(p.tmp / "out/hadolint.json"));
  }

  TEST_CASE("steps.X.report ingests an existing report instead of running the tool") {
    Project p;
    p.env.system_path_only();  // hadolint is not even installed
    auto cfg = p.config("  lint: { tool: hadolint, report: " + test::corpus("hadolint/dd-one_dockerfile.json").string() + " }\n");
    auto r = test::cli({"run", "--config", cfg, "--json", p.json_path(), "--fail-on", "none"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(p.result()["steps"][0]["findings"].size() == 4);
  }

  TEST_CASE("the smoke-test step runs with the scanners") {
    Project p;
    int port = test::free_port();
    std::string run = "[";
    for (auto& a : test::server_cmd(port)) run += (run.size() > 1 ? ", " : "") + nlohmann::json(a).dump();
    run += "]";
    auto cfg = p.config("  smoke-test:\n    run: " + run + "\n    url: http://127.0.0.1:" + std::to_string(port) +
                        "/health\n    interval: 100ms\n    stop-timeout: 3s\n");
    auto r = test::cli({"run", "--config", cfg, "--json", p.json_path()});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(has(r.err, "dockgate: smoke-test done in"));
    CHECK(test::fs::exists(p.tmp / "out/smoke-test.log"));
  }

  TEST_CASE("run with nothing configured is a usage error") {
    Project p;
    auto r = test::cli({"run", "--config", p.config("  {}\n")});
    CHECK(r.code == 2);
    CHECK(has(r.err, "nothing to run"));
  }

  TEST_CASE("a results directory that is a symlink in the checkout is refused and nothing is written through it") {
    // A trusted config run over an untrusted checkout: a committed `.dockgate -> elsewhere` would
    // have the scanners write their reports there, and the stale-report removal delete there.
    Project p;
    auto checkout = p.tmp / "checkout";
    auto elsewhere = p.tmp / "elsewhere";
    test::fs::create_directories(checkout);
    test::fs::create_directories(elsewhere / "deeper");
    test::write(elsewhere / "trivy.json", "precious");
    test::write(elsewhere / "deeper" / "trivy.json", "precious too");
    test::write(p.tmp / "dockgate.yml", "image: app:dev\nsteps:\n  trivy: {}\n");
    auto args_log = p.tmp / "args.log";
    std::map<std::string, std::string> env{{"PATH", test::data("fake-tools").string() + ":/usr/bin:/bin"},
                                           {"FAKE_TRIVY_REPORT", test::corpus("trivy/golden-alpine-310.json").string()},
                                           {"FAKE_ARGS_LOG", args_log.string()}};
    struct Case {
      std::string link, results_dir;
      test::fs::path target, sentinel;
    };
    for (auto& c : {Case{".dockgate", "", elsewhere, elsewhere / "trivy.json"},
                    Case{"out", "out/deeper", elsewhere, elsewhere / "deeper" / "trivy.json"}}) {
      CAPTURE(c.link);
      test::fs::remove_all(checkout);
      test::fs::remove(args_log);
      test::fs::create_directories(checkout);
      test::fs::create_directory_symlink(c.target, checkout / c.link);
      std::vector<std::string> argv{test::dockgate_binary(), "run", "-c", (p.tmp / "dockgate.yml").string(), "--json",
                                    "result.json"};
      if (!c.results_dir.empty()) argv.insert(argv.end(), {"--results-dir", c.results_dir});
      auto r = test::run_process(argv, env, "", 30, checkout);
      CHECK_MESSAGE(r.code == 3, r.err);
      CHECK_MESSAGE(has(r.err, "symlink"), r.err);
      CHECK_MESSAGE(has(r.err, (checkout / c.link).filename().string()), r.err);
      CHECK(test::read(c.sentinel) == (c.results_dir.empty() ? "precious" : "precious too"));
      CHECK_FALSE(test::fs::exists(args_log));  // no scanner ran
      CHECK_FALSE(test::fs::exists(checkout / "result.json"));
    }
  }

  TEST_CASE("dockgate run on the demo project with fake tools writes --json") {
    test::TempDir tmp;
    auto demo = tmp / "demo";
    test::fs::copy(test::source_dir() / "ci-examples/demo", demo, test::fs::copy_options::recursive);
    // The demo's smoke test publishes 8000; take a free port so parallel tests do not collide.
    int port = test::free_port();
    auto yml = test::read(demo / "dockgate.yml");
    for (std::size_t pos; (pos = yml.find("8000")) != std::string::npos;) yml.replace(pos, 4, std::to_string(port));
    test::write(demo / "dockgate.yml", yml);
    std::map<std::string, std::string> env{
        {"PATH", test::data("fake-tools").string() + ":/usr/bin:/bin"},
        {"FAKE_TRIVY_REPORT", test::corpus("trivy/dd-scheme_2_no_vuln.json").string()},
        {"FAKE_GRYPE_REPORT", test::corpus("grype/dd-no_vuln.json").string()},
        {"FAKE_HADOLINT_REPORT", test::corpus("hadolint/issue588-hadolint-1.23.0-two-files.json").string()},
        {"FAKE_DOCKER_LOG", (tmp / "docker-calls").string()},
        {"FAKE_DOCKER_STATE", tmp.path.string()},
        {"FAKE_DOCKER_SERVER", test::data("smoke/server.py").string()},
        {"FAKE_DOCKER_SERVER_ARGS", "--max-lifetime 30"},
        {"SOURCE_DATE_EPOCH", "1795000000"}};
    auto r = test::run_process({test::dockgate_binary(), "run", "--only", "lint,trivy,grype,bandit,smoke-test",
                                "--json", "result.json", "--junit", "junit.xml"},
                               env, "", 60, demo);
    INFO(r.err);
    CHECK(r.code <= 1);  // ran to a verdict (the demo's hadolint sample has warnings)
    auto j = nlohmann::json::parse(test::read(demo / "result.json"));
    CHECK(step_names(j) == std::vector<std::string>{"lint", "trivy", "grype", "bandit", "smoke-test"});
    for (auto& s : j["steps"]) CHECK_MESSAGE(s["status"] != "error", s.dump());
    CHECK(test::fs::exists(demo / ".dockgate/bandit.json"));  // the real bandit ran on app/
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json", demo / "result.json") == "");
    CHECK(has(test::read(tmp / "docker-calls"), "[\"rm\", \"-f\", \"dockgate-smoke-"));
  }
}
