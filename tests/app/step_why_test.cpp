// Issue 12: a tool that failed says why where people look (its exit status, the last lines of
// its output, the command with -v), and -q never leaves an exit 4 silent.
#include <nlohmann/json.hpp>

#include "src/steps/tool_step.hpp"
#include "tests/steps/steps_support.hpp"

using namespace dg;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

struct Project {
  test::TempDir tmp;
  test::ScopedEnv env;
  Project() {
    env.fake_tools_on_path();
    for (auto v : {"_MODE", "_SLEEP", "_EXIT", "_REPORT"}) env.unset(std::string("FAKE_GRYPE") + v);
    env.set("FAKE_GRYPE_MODE", "crash");
  }
  std::string config() {
    auto p = tmp / "dockgate.yml";
    test::write(p, "image: app:dev\nresults-dir: " + (tmp / "out").string() + "\nsteps:\n  grype: {}\n");
    return p.string();
  }
};
}  // namespace

TEST_SUITE("app.step_why") {
  TEST_CASE("a crashed tool shows the last lines of its output on the console and its command in the result") {
    Project p;
    auto json = (p.tmp / "result.json").string();
    auto r = test::cli({"run", "--config", p.config(), "--json", json});
    CHECK(r.code == 4);
    CHECK_MESSAGE(has(r.err, "grype: the last lines of its output:"), r.err);
    CHECK_MESSAGE(has(r.err, "  | grype: panic: runtime error"), r.err);
    auto j = nlohmann::json::parse(test::read(json));
    CHECK(j["steps"][0]["command"].get<std::string>().starts_with("grype "));
  }

  TEST_CASE("-q prints the one-line verdict on exit 4") {
    Project p;
    auto r = test::cli({"run", "--config", p.config(), "-q"});
    CHECK(r.code == 4);
    CHECK_MESSAGE(has(r.err, "dockgate: verdict: error \xE2\x80\x94 grype: error: grype crashed"), r.err);
  }

  TEST_CASE("-v logs the command line of a failed tool and the console says its exit status") {
    Project p;
    p.env.set("FAKE_GRYPE_MODE", "fail");
    p.env.set("FAKE_GRYPE_EXIT", "1");
    // The log goes to the process's stderr (spdlog), so this runs the binary.
    auto r = test::run_process({test::dockgate_binary(), "run", "--config", p.config(), "-v"});
    CHECK(r.code == 4);
    CHECK_MESSAGE(has(r.err, "grype: grype failed with exit code 1; the command was: grype app:dev -o json --file "), r.err);
    CHECK(has(r.err, "  | grype: fatal error: unable to initialize the scanner"));
    auto quiet = test::run_process({test::dockgate_binary(), "run", "--config", p.config()});
    CHECK(has(quiet.err, "grype: error: grype failed with exit code 1"));
    CHECK_FALSE(has(quiet.err, "the command was:"));  // -v only
  }

  TEST_CASE("the command line shown has its secrets replaced") {
    CHECK(steps::redacted_command({"trivy", "image", "--token", "abc", "--password=hunter2", "--registry-token", "xyz",
                                   "ghp_AbCdEf0123456789AbCdEf0123456789AbCd", "my app:1"}) ==
          "trivy image --token *** --password=*** --registry-token *** *** 'my app:1'");
  }
}
