#include "src/steps/smoke.hpp"

#include "src/steps/body_check.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "src/util/process.hpp"
#include "tests/steps/steps_support.hpp"

using namespace dg;
using namespace std::chrono_literals;

namespace {

steps::SmokeStep command_step(int port, std::vector<std::string> extra = {}) {
  steps::SmokeStep s;
  s.configured = true;
  s.run = test::server_cmd(port, std::move(extra));
  s.url = "http://127.0.0.1:" + std::to_string(port) + "/health";
  s.timeout = steps::Seconds(10);
  s.interval = steps::Seconds(0.1);
  s.stop_timeout = steps::Seconds(3);
  return s;
}

std::vector<std::string> rules(const model::StepResult& r) {
  std::vector<std::string> v;
  v.reserve(r.findings.size());
  for (auto& f : r.findings) v.push_back(f.rule_id);
  return v;
}

int service_pid(const model::StepResult& r) {
  auto it = r.metrics.find("pid");
  return it == r.metrics.end() ? 0 : static_cast<int>(it->second);
}

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Each line of the fake docker's log is the JSON array of one invocation's arguments.
std::vector<std::vector<std::string>> docker_calls(const test::fs::path& log) {
  std::vector<std::vector<std::string>> calls;
  std::istringstream in(test::read(log));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) calls.push_back(nlohmann::json::parse(line).get<std::vector<std::string>>());
  return calls;
}

struct FakeDocker {
  test::TempDir tmp;
  test::ScopedEnv env;
  test::fs::path log = tmp / "docker-calls.jsonl";
  FakeDocker() {
    env.fake_tools_on_path();
    env.set("FAKE_DOCKER_LOG", log.string());
    env.set("FAKE_DOCKER_STATE", tmp.path.string());
    env.unset("FAKE_DOCKER_SERVER");
    env.unset("FAKE_DOCKER_RUN_FAIL");
    env.unset("FAKE_DOCKER_USER");
  }
  // The "container" is server.py started by the fake `docker run`.
  void serve(const std::string& args = "") {
    env.set("FAKE_DOCKER_SERVER", test::data("smoke/server.py").string());
    env.set("FAKE_DOCKER_SERVER_ARGS", "--max-lifetime 30 " + args);
  }
  // The pid of the server the fake docker started for container `name`.
  int container_pid(const std::string& name) const { return test::read_pid(tmp / (name + ".pid")); }
};

std::string container_name(const std::vector<std::vector<std::string>>& calls) {
  for (auto& c : calls)
    if (!c.empty() && c[0] == "run")
      for (std::size_t i = 0; i + 1 < c.size(); ++i)
        if (c[i] == "--name") return c[i + 1];
  return {};
}

bool called_rm_f(const std::vector<std::vector<std::string>>& calls, const std::string& name) {
  return !calls.empty() && calls.back() == std::vector<std::string>{"rm", "-f", name};
}

}  // namespace

TEST_SUITE("steps.smoke") {
  TEST_CASE("a command that is ready after a delay passes and is stopped") {
    int port = test::free_port();
    auto http = util::make_curl_transport();
    auto t0 = std::chrono::steady_clock::now();
    auto r = steps::run_smoke(command_step(port, {"--ready-after", "1"}), *http);
    CHECK_MESSAGE(r.status == model::StepStatus::Passed, (r.errors.empty() ? r.log_excerpt : r.errors[0]));
    CHECK(r.findings.empty());
    CHECK(r.metrics.at("ready_seconds") >= 0.9);
    CHECK(r.metrics.at("attempts") >= 2);  // refused while the service was starting, then answered
    CHECK(r.metrics.at("stop_seconds") < 3);
    CHECK(seconds(std::chrono::steady_clock::now() - t0) < 6);
    CHECK(test::process_gone(service_pid(r)));
  }

  TEST_CASE("a service that never gets ready fails at the timeout with its log") {
    int port = test::free_port();
    auto s = command_step(port, {"--never-ready"});
    s.timeout = steps::Seconds(1.5);
    s.log_lines = 5;
    auto http = util::make_curl_transport();
    auto t0 = std::chrono::steady_clock::now();
    auto r = steps::run_smoke(s, *http);
    double took = seconds(std::chrono::steady_clock::now() - t0);
    CHECK(r.status == model::StepStatus::Failed);
    REQUIRE(rules(r) == std::vector<std::string>{"smoke/not-ready"});
    CHECK(r.findings[0].severity == model::Severity::Critical);
    CHECK(r.findings[0].kind == model::Kind::Smoke);
    CHECK(r.findings[0].message.find("connection refused") != std::string::npos);
    CHECK(r.log_excerpt.find("waiting for the database") != std::string::npos);
    CHECK(std::count(r.log_excerpt.begin(), r.log_excerpt.end(), '\n') <= 4);  // 5 lines at most
    CHECK(took >= 1.4);
    CHECK(took < 5);
    CHECK(test::process_gone(service_pid(r)));
  }

  TEST_CASE("a service answering 500 fails with bad-status") {
    int port = test::free_port();
    auto s = command_step(port, {"--status", "500"});
    // Long enough for python3 to start and answer once on a loaded machine (with 1 s it sometimes
    // had not answered yet, and the step said not-ready); the 500s are polled until then.
    s.timeout = steps::Seconds(3);
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http);
    REQUIRE(rules(r) == std::vector<std::string>{"smoke/bad-status"});
    CHECK(r.findings[0].message.find("HTTP 500") != std::string::npos);
    CHECK(r.log_excerpt.find("request") != std::string::npos);  // the server logged our polls
    CHECK(test::process_gone(service_pid(r)));
  }

  TEST_CASE("a service that ignores SIGTERM is a slow-stop finding and is killed") {
    int port = test::free_port();
    auto s = command_step(port, {"--ignore-sigterm"});
    s.stop_timeout = steps::Seconds(1);
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http);
    REQUIRE(rules(r) == std::vector<std::string>{"smoke/slow-stop"});
    CHECK(r.metrics.at("stop_seconds") >= 0.9);
    CHECK(r.metrics.at("stop_seconds") < 3);
    CHECK(test::process_gone(service_pid(r)));
  }

  TEST_CASE("a service that exits before it is ready is an exited finding") {
    int port = test::free_port();
    auto s = command_step(port, {"--never-ready", "--exit-after", "0.5"});
    auto http = util::make_curl_transport();
    auto t0 = std::chrono::steady_clock::now();
    auto r = steps::run_smoke(s, *http);
    REQUIRE(rules(r) == std::vector<std::string>{"smoke/exited"});
    CHECK(r.findings[0].message.find("exit 3") != std::string::npos);
    CHECK(r.log_excerpt.find("fatal: giving up") != std::string::npos);
    CHECK(seconds(std::chrono::steady_clock::now() - t0) < 5);  // did not wait for the timeout
  }

  TEST_CASE("expect-body as a substring and as a regex") {
    int port = test::free_port();
    auto s = command_step(port);
    s.expect_body = "/\"status\": *\"ok\"/";
    s.check_stop = false;
    auto http = util::make_curl_transport();
    auto ok = steps::run_smoke(s, *http);
    CHECK(ok.findings.empty());
    CHECK(test::process_gone(service_pid(ok)));

    port = test::free_port();
    s = command_step(port);
    s.expect_body = "database: up";
    s.timeout = steps::Seconds(3);  // python3 must start and answer once, even on a loaded machine
    auto bad = steps::run_smoke(s, *http);
    CHECK(rules(bad) == std::vector<std::string>{"smoke/bad-body"});
    CHECK(test::process_gone(service_pid(bad)));

    s.expect_body = "/([unclosed/";
    auto invalid = steps::run_smoke(s, *http);
    CHECK(invalid.status == model::StepStatus::Error);
  }

  TEST_CASE("a regex expect-body on a 600 KB body matches without overflowing the stack") {
    // std::regex recursed once per byte: /a.*"ok"/ on this body ended dockgate with SIGSEGV.
    int port = test::free_port();
    auto s = command_step(port, {"--pad", "600000"});
    s.expect_body = "/a.*\"ok\"/";
    s.check_stop = false;
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http);
    CHECK(r.status == model::StepStatus::Passed);
    CHECK(r.findings.empty());
  }

  TEST_CASE("a body streamed without end is read up to 1 MiB and judged then") {
    int port = test::free_port();
    auto s = command_step(port, {"--stream", "--body", "starting"});
    s.expect_body = "/ready|ok/";
    s.timeout = steps::Seconds(3);
    auto http = util::make_curl_transport();
    auto t0 = std::chrono::steady_clock::now();
    auto r = steps::run_smoke(s, *http);
    CHECK(rules(r) == std::vector<std::string>{"smoke/bad-body"});
    CHECK(seconds(std::chrono::steady_clock::now() - t0) < 6);
    REQUIRE(!r.findings.empty());
    CHECK(r.findings[0].message.find("HTTP 200") != std::string::npos);
  }

  TEST_CASE("expect-body regexes are grep -E: alternation classes anchors and a NUL in the body") {
    auto re = steps::BodyCheck::parse("/^[{]\"status\": \"(ok|ready)\"[}]$/");
    REQUIRE(re);
    CHECK(re->is_regex());
    CHECK(re->matches("{\"status\": \"ready\"}"));
    CHECK_FALSE(re->matches("{\"status\": \"down\"}"));
    auto nul = steps::BodyCheck::parse("/after/");
    REQUIRE(nul);
    CHECK(nul->matches(std::string_view("before\0after", 12)));
    auto sub = steps::BodyCheck::parse("a/b");
    REQUIRE(sub);
    CHECK_FALSE(sub->is_regex());
    CHECK(sub->matches("xa/by"));
    CHECK(steps::BodyCheck::parse("")->matches("anything"));
    auto bad = steps::BodyCheck::parse("/([unclosed/");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().find("/([unclosed/") != std::string::npos);
    CHECK(bad.error().find("grep -E") != std::string::npos);
  }

  TEST_CASE("a command that does not exist is a step error") {
    steps::SmokeStep s;
    s.run = {"dockgate-no-such-service"};
    s.url = "http://127.0.0.1:9/";
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http);
    CHECK(r.status == model::StepStatus::Error);
    REQUIRE(!r.errors.empty());
    CHECK(r.errors[0].find("not found on PATH") != std::string::npos);
    CHECK(r.findings.empty());
  }

  TEST_CASE("a signal to dockgate stops the poll and cleans up") {
    int port = test::free_port();
    auto s = command_step(port, {"--never-ready"});
    s.timeout = steps::Seconds(20);
    util::reset_cancel();
    std::jthread stopper([] {
      std::this_thread::sleep_for(500ms);
      util::request_cancel(SIGTERM);
    });
    auto http = util::make_curl_transport();
    auto t0 = std::chrono::steady_clock::now();
    auto r = steps::run_smoke(s, *http);
    util::reset_cancel();
    CHECK(seconds(std::chrono::steady_clock::now() - t0) < 5);
    CHECK(r.status == model::StepStatus::Error);
    REQUIRE(!r.errors.empty());
    CHECK(r.errors[0].find("interrupted") != std::string::npos);
    CHECK(test::process_gone(service_pid(r)));
  }

  TEST_CASE("an image runs with docker run and is always removed with docker rm -f") {
    FakeDocker docker;
    docker.serve("--ready-after 0.3");
    int port = test::free_port();
    steps::SmokeStep s;
    s.image = "app:dev";
    s.url = "http://127.0.0.1:" + std::to_string(port) + "/health";
    s.timeout = steps::Seconds(10);
    s.interval = steps::Seconds(0.1);
    s.stop_timeout = steps::Seconds(3);
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http);
    CHECK_MESSAGE(r.findings.empty(), (r.findings.empty() ? std::string() : r.findings[0].message));
    CHECK(r.status == model::StepStatus::Passed);
    auto calls = docker_calls(docker.log);
    auto name = container_name(calls);
    CHECK(name.starts_with("dockgate-smoke-"));
    REQUIRE(!calls.empty());
    CHECK(calls[0] == std::vector<std::string>{"run", "--rm", "-d", "--name", name, "-p",
                                               "127.0.0.1:" + std::to_string(port) + ":" + std::to_string(port),
                                               "app:dev"});
    bool stopped = false;
    for (auto& c : calls) stopped |= !c.empty() && c[0] == "stop";
    CHECK(stopped);
    CHECK(called_rm_f(calls, name));
    CHECK(test::process_gone(docker.container_pid(name)));
  }

  TEST_CASE("docker rm -f runs even when docker run fails") {
    FakeDocker docker;
    docker.env.set("FAKE_DOCKER_RUN_FAIL", "1");
    steps::SmokeStep s;
    s.image = "nope:missing";
    s.url = "http://127.0.0.1:8000/health";
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http);
    CHECK(r.status == model::StepStatus::Error);
    REQUIRE(!r.errors.empty());
    CHECK(r.errors[0].find("docker run nope:missing failed") != std::string::npos);
    CHECK(r.errors[0].find("pull access denied") != std::string::npos);  // docker's reason, in the error itself
    CHECK(r.log_excerpt.find("Unable to find image") != std::string::npos);
    auto calls = docker_calls(docker.log);
    CHECK(called_rm_f(calls, container_name(calls)));
  }

  TEST_CASE("a container that never answers is removed and root is reported") {
    FakeDocker docker;  // no server: the "container" runs but nothing listens
    docker.env.set("FAKE_DOCKER_USER", "");
    steps::SmokeStep s;
    s.image = "app:dev";
    s.ports = {"18080:8000"};
    s.url = "http://127.0.0.1:" + std::to_string(test::free_port()) + "/";
    s.timeout = steps::Seconds(0.6);
    s.interval = steps::Seconds(0.1);
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http);
    CHECK(rules(r) == std::vector<std::string>{"smoke/not-ready", "smoke/runs-as-root"});
    auto calls = docker_calls(docker.log);
    REQUIRE(!calls.empty());
    CHECK(std::ranges::find(calls[0], "127.0.0.1:18080:8000") != calls[0].end());
    CHECK(called_rm_f(calls, container_name(calls)));
  }

  TEST_CASE("without docker the image mode is a step error with a hint") {
    test::ScopedEnv env;
    env.system_path_only();
    steps::SmokeEnv senv;
    senv.docker = "dockgate-no-docker";
    steps::SmokeStep s;
    s.image = "app:dev";
    s.url = "http://127.0.0.1:8000/";
    auto http = util::make_curl_transport();
    auto r = steps::run_smoke(s, *http, senv);
    CHECK(r.status == model::StepStatus::Error);
    REQUIRE(!r.errors.empty());
    CHECK(r.errors[0].find("https://docs.docker.com/engine/install/") != std::string::npos);
  }

  TEST_CASE("ports bind loopback unless an address is given") {
    CHECK(steps::loopback_port("8000") == "127.0.0.1:8000:8000");
    CHECK(steps::loopback_port("8080:8000") == "127.0.0.1:8080:8000");
    CHECK(steps::loopback_port("0.0.0.0:8080:8000") == "0.0.0.0:8080:8000");
    CHECK(steps::loopback_port("8000/udp") == "127.0.0.1:8000:8000/udp");
    CHECK(steps::url_port("http://127.0.0.1:8000/health") == 8000);
    CHECK(steps::url_port("http://localhost/") == 80);
    CHECK(steps::url_port("https://[::1]:8443/x") == 8443);
    CHECK(steps::url_port("nonsense") == 0);
  }

  TEST_CASE("complete_smoke fills the image and interpolates it") {
    steps::SmokeStep s;
    s.url = "http://127.0.0.1:8000/";
    CHECK(steps::complete_smoke(s, "app:1").has_value());
    CHECK(s.image == "app:1");
    steps::SmokeStep c;
    c.url = "http://127.0.0.1:8000/";
    c.run = {"docker", "run", "--rm", "${image}"};
    CHECK(steps::complete_smoke(c, "app:2").has_value());
    CHECK(c.run.back() == "app:2");
    CHECK(c.image.empty());
    steps::SmokeStep none;
    CHECK(!steps::complete_smoke(none, "").has_value());
  }
}
