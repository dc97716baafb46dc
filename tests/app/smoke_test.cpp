#include <nlohmann/json.hpp>
#include <thread>

#include "src/util/process.hpp"
#include "tests/steps/steps_support.hpp"

using namespace dg;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> smoke_args(int port, std::vector<std::string> extra, std::vector<std::string> server_extra = {},
                                    const std::string& timeout = "10s") {
  std::vector<std::string> args{"smoke", "--url", "http://127.0.0.1:" + std::to_string(port) + "/health",
                                "--interval", "0.1", "--timeout", timeout, "--stop-timeout", "3"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back("--");
  for (auto& a : test::server_cmd(port, std::move(server_extra))) args.push_back(a);
  return args;
}

}  // namespace

TEST_SUITE("app.smoke") {
  TEST_CASE("smoke with a command passes and exits 0") {
    test::TempDir tmp;
    int port = test::free_port();
    auto r = test::cli(smoke_args(port, {"--json", (tmp / "r.json").string()}, {"--pid-file", (tmp / "pid").string()}));
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("dockgate: smoke-test started") != std::string::npos);
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    CHECK(j["steps"][0]["name"] == "smoke-test");
    CHECK(test::process_gone(test::read_pid(tmp / "pid")));
  }

  TEST_CASE("a 500 fails the policy with exit 1 and a smoke finding") {
    test::TempDir tmp;
    int port = test::free_port();
    auto args = smoke_args(port, {"--json", (tmp / "r.json").string()}, {"--status", "500"}, "1");
    auto r = test::cli(args);
    CHECK_MESSAGE(r.code == 1, r.err);
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    REQUIRE(j["steps"][0]["findings"].size() == 1);
    CHECK(j["steps"][0]["findings"][0]["rule_id"] == "smoke/bad-status");
    CHECK(j["steps"][0]["findings"][0]["severity"] == "critical");
  }

  TEST_CASE("a service that cannot start is exit 4") {
    auto r = test::cli({"smoke", "--url", "http://127.0.0.1:9/", "--", "dockgate-no-such-service"});
    CHECK(r.code == 4);
    CHECK(r.err.find("not found on PATH") != std::string::npos);
  }

  TEST_CASE("smoke with nothing to start is a usage error") {
    auto r = test::cli({"smoke", "--url", "http://127.0.0.1:9/"});
    CHECK(r.code == 2);
    CHECK(r.err.find("nothing to start") != std::string::npos);
    CHECK(test::cli({"smoke", "--image", "a", "--command", "b", "--url", "http://127.0.0.1:9/"}).code == 2);
  }

  TEST_CASE("smoke with an image and a port uses docker and removes the container") {
    test::TempDir tmp;
    test::ScopedEnv env;
    env.fake_tools_on_path();
    env.set("FAKE_DOCKER_LOG", (tmp / "calls").string());
    env.set("FAKE_DOCKER_STATE", tmp.path.string());
    env.set("FAKE_DOCKER_SERVER", test::data("smoke/server.py").string());
    env.set("FAKE_DOCKER_SERVER_ARGS", "--max-lifetime 30");
    env.unset("FAKE_DOCKER_USER");
    env.unset("FAKE_DOCKER_RUN_FAIL");
    int port = test::free_port();
    auto r = test::cli({"smoke", "--image", "app:dev", "--port", std::to_string(port), "--path", "/health",
                        "--interval", "0.1", "--stop-timeout", "3"});
    CHECK_MESSAGE(r.code == 0, r.err);
    auto calls = test::read(tmp / "calls");
    CHECK(calls.find("\"127.0.0.1:" + std::to_string(port) + ":" + std::to_string(port) + "\"") != std::string::npos);
    CHECK(calls.find("[\"rm\", \"-f\", \"dockgate-smoke-") != std::string::npos);
  }

  TEST_CASE("SIGTERM to dockgate cleans up the service and exits 143") {
    test::TempDir tmp;
    int port = test::free_port();
    util::BackgroundSpec spec;
    spec.argv = {test::dockgate_binary()};
    for (auto& a : smoke_args(port, {}, {"--never-ready", "--pid-file", (tmp / "pid").string()}, "20"))
      spec.argv.push_back(a);
    spec.log = tmp / "dockgate.log";
    auto p = util::BackgroundProcess::start(spec);
    REQUIRE(p);
    for (int i = 0; i < 200 && !test::fs::exists(tmp / "pid"); ++i) std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(200ms);
    int service = test::read_pid(tmp / "pid");
    REQUIRE(service > 0);
    CHECK(!test::process_gone(service));
    ::kill(p->pid(), SIGTERM);  // dockgate only, as a CI runner cancelling the job would
    for (int i = 0; i < 250 && p->running(); ++i) std::this_thread::sleep_for(20ms);
    CHECK(!p->running());
    CHECK(p->exit_description() == "exit 143");
    CHECK(test::process_gone(service));
    CHECK(p->log_tail(5).find("interrupted by signal 15") != std::string::npos);
  }
}
