#include "src/steps/scheduler.hpp"

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "src/steps/tool_step.hpp"
#include "tests/steps/steps_support.hpp"

using namespace dg;
using namespace std::chrono_literals;

namespace {
steps::ToolInvocation plan_fake_bandit(const test::fs::path& dir) {
  steps::ToolStep b;
  b.tool = "fake-bandit";  // the real bandit stays what `bandit` means on PATH
  return steps::plan_bandit(b, dir);
}
}  // namespace

TEST_SUITE("steps.scheduler") {
  TEST_CASE("four fake tools that sleep 1 s each run in parallel") {
    test::TempDir tmp;
    test::ScopedEnv env;
    env.fake_tools_on_path();
    env.set("FAKE_TRIVY_REPORT", test::corpus("trivy/golden-alpine-310.json").string());
    env.set("FAKE_GRYPE_REPORT", test::corpus("grype/snap-head-json-image.json").string());
    env.set("FAKE_HADOLINT_REPORT", test::corpus("hadolint/dd-one_dockerfile.json").string());
    env.set("FAKE_BANDIT_REPORT", test::corpus("bandit/dd-one_vuln.json").string());
    for (auto t : {"TRIVY", "GRYPE", "HADOLINT", "BANDIT"}) {
      env.set(std::string("FAKE_") + t + "_SLEEP", "1");
      env.unset(std::string("FAKE_") + t + "_MODE");
    }
    std::vector<steps::ToolInvocation> plans{steps::plan_trivy({}, "app:1", tmp.path),
                                             steps::plan_grype({}, "app:1", tmp.path),
                                             steps::plan_hadolint({}, "Dockerfile", tmp.path),
                                             plan_fake_bandit(tmp.path)};
    std::vector<steps::ToolOutcome> outcomes(plans.size());
    // Overlap, not wall time (no timed assertions): every tool must be running while the others sleep.
    std::atomic<int> running{0}, peak{0};
    std::vector<std::function<void()>> tasks;
    tasks.reserve(plans.size());
    for (std::size_t i = 0; i < plans.size(); ++i)
      tasks.push_back([&, i] {
        int now = ++running;
        for (int p = peak.load(); now > p && !peak.compare_exchange_weak(p, now);) {
        }
        outcomes[i] = steps::run_tool(plans[i]);
        --running;
      });
    steps::run_parallel(std::move(tasks), 0);  // the default: every step at once
    for (auto& o : outcomes) CHECK_MESSAGE(o.errors.empty(), o.tool << ": " << (o.errors.empty() ? "" : o.errors[0]));
    CHECK(peak.load() == 4);
  }

  TEST_CASE("jobs 0 runs every task at once") {
    // Each task waits (bounded) until all six are inside: only possible when all run together.
    constexpr int n = 6;
    std::atomic<int> inside{0};
    std::atomic<int> met{0};
    std::vector<std::function<void()>> tasks;
    tasks.reserve(n);
    for (int i = 0; i < n; ++i)
      tasks.push_back([&] {
        ++inside;
        auto deadline = std::chrono::steady_clock::now() + 20s;
        while (inside.load() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
        if (inside.load() == n) ++met;
      });
    steps::run_parallel(std::move(tasks), 0);
    CHECK(met.load() == n);
  }

  TEST_CASE("jobs bounds how many tasks run at once") {
    std::atomic<int> running{0}, peak{0};
    std::vector<std::function<void()>> tasks;
    tasks.reserve(6);
    for (int i = 0; i < 6; ++i)
      tasks.push_back([&] {
        int now = ++running;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        std::this_thread::sleep_for(50ms);
        --running;
      });
    steps::run_parallel(std::move(tasks), 2);
    CHECK(peak.load() == 2);
  }

  TEST_CASE("every task runs once whatever the number of jobs") {
    for (int jobs : {0, 1, 3, 64}) {
      std::vector<int> hits(10, 0);
      std::vector<std::function<void()>> tasks;
      tasks.reserve(10);
      for (int i = 0; i < 10; ++i) tasks.push_back([&hits, i] { ++hits[static_cast<std::size_t>(i)]; });
      steps::run_parallel(std::move(tasks), jobs);
      CHECK(hits == std::vector<int>(10, 1));
    }
    steps::run_parallel({}, 4);  // nothing to do is fine
  }
}
