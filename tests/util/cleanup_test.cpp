// Issue 16 rows 10 and 11: nothing dockgate starts or writes half-way outlives it, whether it
// ends normally or by SIGTERM/SIGINT.
#include <signal.h>
#include <sys/wait.h>

#include <thread>

#include "src/util/cleanup.hpp"
#include "src/util/process.hpp"
#include "tests/steps/steps_support.hpp"

using namespace dg;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> smoke_argv(int port, const test::fs::path& child_pid, std::vector<std::string> server_extra,
                                    const std::string& timeout) {
  std::vector<std::string> argv{test::dockgate_binary(), "smoke", "--url",
                                "http://127.0.0.1:" + std::to_string(port) + "/health", "--interval", "0.1",
                                "--timeout", timeout, "--stop-timeout", "3", "-q", "--"};
  server_extra.push_back("--setsid-child");
  server_extra.push_back(child_pid.string());
  for (auto& a : test::server_cmd(port, server_extra)) argv.push_back(a);
  return argv;
}

// A hadolint JSON report of `n` findings, each with a long message: its result JSON is big
// enough that writing it takes a while.
std::string big_hadolint_report(int n) {
  std::string msg(400, 'x');
  std::string out = "[";
  for (int i = 1; i <= n; ++i) {
    if (i > 1) out += ",";
    out += R"({"code":"DL3008","column":1,"file":"Dockerfile","level":"warning","line":)" + std::to_string(i) +
           R"(,"message":"pin versions )" + std::to_string(i) + " " + msg + R"("})";
  }
  return out + "]";
}

std::vector<test::fs::path> temp_files(const test::fs::path& dir) {
  std::vector<test::fs::path> out;
  for (auto& e : test::fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp") != std::string::npos) out.push_back(e.path());
  return out;
}

// Row 10. dockgate is stopped (SIGSTOP) while its temp file exists, so the signal lands between
// open and rename for sure; a stop that came after the rename is tried again.
void signal_during_write(const std::string& flag, int sig) {
  test::TempDir tmp;
  test::write(tmp / "report.json", big_hadolint_report(150000));
  const std::string old_output = "the previous result\n";
  bool landed = false;
  for (int attempt = 0; attempt < 5 && !landed; ++attempt) {
    test::write(tmp / "out", old_output);
    util::BackgroundSpec spec;
    spec.argv = {test::dockgate_binary(), "gate", (tmp / "report.json").string(), flag, (tmp / "out").string(), "-q",
                 "--fail-on", "none"};
    spec.log = tmp / "dockgate.log";
    auto p = util::BackgroundProcess::start(spec);
    REQUIRE(p);
    std::vector<test::fs::path> seen;
    while (p->running() && (seen = temp_files(tmp.path)).empty()) std::this_thread::sleep_for(1ms);
    if (seen.empty()) continue;  // finished before we looked
    ::kill(p->pid(), SIGSTOP);
    if (!test::fs::exists(seen.front())) {  // renamed just before the stop
      ::kill(p->pid(), SIGCONT);
      p->stop(5s);
      continue;
    }
    landed = true;
    ::kill(p->pid(), sig);
    ::kill(p->pid(), SIGCONT);
    for (int i = 0; i < 500 && p->running(); ++i) std::this_thread::sleep_for(10ms);
    CHECK(!p->running());
    CHECK(p->exit_description() == "signal " + std::to_string(sig));
    CHECK_MESSAGE(temp_files(tmp.path).empty(), "left behind: " << seen.front().filename().string());
    CHECK(test::read(tmp / "out") == old_output);
  }
  CHECK_MESSAGE(landed, "the write was never caught in progress");
}

}  // namespace

TEST_SUITE("util.cleanup") {
  TEST_CASE("run_exit_cleanup removes a remembered temp file and forget_temp keeps it") {
    test::TempDir tmp;
    test::write(tmp / "a.tmp1", "x");
    test::write(tmp / "b.tmp2", "y");
    int a = util::remember_temp((tmp / "a.tmp1").c_str());
    int b = util::remember_temp((tmp / "b.tmp2").c_str());
    REQUIRE(a >= 0);
    REQUIRE(b >= 0);
    util::forget_temp(b);
    util::run_exit_cleanup();
    util::forget_temp(a);
    CHECK(!test::fs::exists(tmp / "a.tmp1"));
    CHECK(test::fs::exists(tmp / "b.tmp2"));
  }

  TEST_CASE("SIGTERM during an output write leaves no temp file and the old output whole") {
    signal_during_write("--json", SIGTERM);
  }

  TEST_CASE("SIGINT during a streamed --sarif write leaves no temp file and the old output whole") {
    // Row 10 names --sarif: it goes to its file in pieces (util::OutputFile), not through
    // write_file_atomic, and its temporary must be on the same cleanup list.
    signal_during_write("--sarif", SIGINT);
  }

  TEST_CASE("a setsid() grandchild of a smoke-test service does not outlive dockgate") {
    // Row 11, normal exit: the service daemonizes a child out of its process group; killing the
    // group misses it, dockgate as the child subreaper finds it.
    test::TempDir tmp;
    int port = test::free_port();
    auto r = test::run_process(smoke_argv(port, tmp / "child", {}, "20s"), {}, {}, 60);
    CHECK_MESSAGE(r.code == 0, r.err);
    int child = test::read_pid(tmp / "child");
    REQUIRE(child > 0);
    CHECK(test::process_gone(child));
    if (!test::process_gone(child)) ::kill(child, SIGKILL);
  }

  TEST_CASE("a setsid() grandchild of a scanner does not outlive dockgate run") {
    // Row 11, the tool variant: the scanner step's process group is gone when it ends, its
    // daemonized child is not, until dockgate exits.
    test::TempDir tmp;
    test::write(tmp / "dockgate.yml", "image: app:dev\nresults-dir: " + (tmp / "out").string() + "\nsteps:\n  trivy: {}\n");
    auto r = test::run_process({test::dockgate_binary(), "run", "--config", (tmp / "dockgate.yml").string(), "-q",
                                "--fail-on", "none"},
                               {{"PATH", test::data("fake-tools").string() + ":/usr/bin:/bin"},
                                {"FAKE_TRIVY_REPORT", test::corpus("trivy/golden-alpine-310.json").string()},
                                {"FAKE_DAEMON_PID", (tmp / "daemon").string()}},
                               {}, 60, tmp.path);
    CHECK_MESSAGE(r.code == 0, r.err);
    int daemon = test::read_pid(tmp / "daemon");
    REQUIRE(daemon > 0);
    CHECK(test::process_gone(daemon));
    if (!test::process_gone(daemon)) ::kill(daemon, SIGKILL);
  }

  TEST_CASE("SIGTERM and SIGINT to dockgate kill a setsid() grandchild too") {
    for (int sig : {SIGTERM, SIGINT}) {
      CAPTURE(sig);
      test::TempDir tmp;
      int port = test::free_port();
      util::BackgroundSpec spec;
      spec.argv = smoke_argv(port, tmp / "child", {"--never-ready"}, "30s");
      spec.log = tmp / "dockgate.log";
      auto p = util::BackgroundProcess::start(spec);
      REQUIRE(p);
      for (int i = 0; i < 500 && !test::fs::exists(tmp / "child"); ++i) std::this_thread::sleep_for(20ms);
      int child = test::read_pid(tmp / "child");
      REQUIRE(child > 0);
      ::kill(p->pid(), sig);  // dockgate only, as a CI runner cancelling the job would
      for (int i = 0; i < 500 && p->running(); ++i) std::this_thread::sleep_for(20ms);
      CHECK(!p->running());
      CHECK(p->exit_description() == "exit " + std::to_string(128 + sig));
      CHECK(test::process_gone(child));
      if (!test::process_gone(child)) ::kill(child, SIGKILL);
    }
  }
}
