#include "src/util/process.hpp"

#include <chrono>
#include <thread>

#include "tests/steps/steps_support.hpp"

using namespace dg;
using namespace std::chrono_literals;

TEST_SUITE("util.process") {
  TEST_CASE("run_process captures output and the exit code without a shell") {
    util::ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3"};
    auto r = util::run_process(spec);
    REQUIRE(r);
    CHECK(r->exit_code == 3);
    CHECK(r->out == "out\n");
    CHECK(r->err == "err\n");
    spec.argv = {"dockgate-no-such-program"};
    auto nf = util::run_process(spec);
    REQUIRE(nf);
    CHECK(nf->not_found);
  }

  TEST_CASE("a child that exits without reading its input does not kill us with SIGPIPE") {
    // Found as a flaky pre-push hook test: the hook exited before git's input was written, and the
    // SIGPIPE of the next write killed the test binary.
    util::ProcessSpec spec;
    // The child closes its input and stays: every write after the first pipeful meets a closed pipe.
    spec.argv = {"/bin/sh", "-c", "exec 0<&-; sleep 0.5; exit 0"};
    spec.stdin_data.assign(8u << 20, 'x');  // far more than a pipe holds
    auto r = util::run_process(spec);
    REQUIRE(r);
    CHECK(r->exit_code == 0);
  }

  TEST_CASE("a cancel request kills the running child") {
    util::reset_cancel();
    std::jthread stopper([] {
      std::this_thread::sleep_for(300ms);
      util::request_cancel(SIGINT);
    });
    util::ProcessSpec spec;
    spec.argv = {"sleep", "20"};
    auto t0 = std::chrono::steady_clock::now();
    auto r = util::run_process(spec);
    util::reset_cancel();
    REQUIRE(r);
    CHECK(r->cancelled == SIGINT);
    CHECK(std::chrono::steady_clock::now() - t0 < 5s);
  }

  TEST_CASE("a background process group is stopped with SIGTERM and its log kept") {
    test::TempDir tmp;
    util::BackgroundSpec spec;
    // The child of the shell is in the same group: stopping the group stops it too.
    spec.argv = {"/bin/sh", "-c", "echo started; sleep 30 & echo $! > " + (tmp / "child.pid").string() + "; wait"};
    spec.log = tmp / "log";
    auto p = util::BackgroundProcess::start(spec);
    REQUIRE(p);
    int pid = p->pid();
    for (int i = 0; i < 100 && !test::fs::exists(tmp / "child.pid"); ++i) std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(50ms);
    int child = test::read_pid(tmp / "child.pid");
    CHECK(p->running());
    CHECK(p->stop(2s));
    CHECK(test::process_gone(pid));
    CHECK(test::process_gone(child));
    CHECK(p->log_tail(5) == "started");
  }

  TEST_CASE("a process that ignores SIGTERM is killed after the grace time") {
    util::BackgroundSpec spec;
    spec.argv = {"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.1; done"};
    auto p = util::BackgroundProcess::start(spec);
    REQUIRE(p);
    int pid = p->pid();
    std::this_thread::sleep_for(100ms);
    auto t0 = std::chrono::steady_clock::now();
    CHECK_FALSE(p->stop(500ms));
    CHECK(std::chrono::steady_clock::now() - t0 >= 450ms);
    CHECK(test::process_gone(pid));
  }

  TEST_CASE("the destructor kills what is still running") {
    int pid = 0;
    {
      util::BackgroundSpec spec;
      spec.argv = {"sleep", "30"};
      auto p = util::BackgroundProcess::start(spec);
      REQUIRE(p);
      pid = p->pid();
      CHECK(p->running());
    }
    CHECK(test::process_gone(pid));
  }

  TEST_CASE("starting a missing program says so") {
    util::BackgroundSpec spec;
    spec.argv = {"dockgate-no-such-program"};
    bool not_found = false;
    auto p = util::BackgroundProcess::start(spec, &not_found);
    CHECK(!p);
    CHECK(not_found);
  }
}
