#include "src/steps/progress.hpp"

#include <sstream>
#include <thread>

#include "tests/support.hpp"

using namespace dg;
using namespace std::chrono_literals;

TEST_SUITE("steps.progress") {
  TEST_CASE("one line per step start and end") {
    std::ostringstream err;
    {
      steps::Progress p(err, false, false);
      p.started("trivy");
      p.done("trivy", 12345ms, "4 findings");
      p.done("grype", 0ms, "error: grype not found on PATH");
    }
    CHECK(err.str() ==
          "dockgate: trivy started\n"
          "dockgate: trivy done in 12.3s: 4 findings\n"
          "dockgate: grype done in 0.0s: error: grype not found on PATH\n");
  }

  TEST_CASE("quiet prints nothing") {
    std::ostringstream err;
    {
      steps::Progress p(err, true, true);
      p.started("lint");
      p.note("dockgate: not configured, not run: grype");
      p.done("lint", 10ms, "no findings");
    }
    CHECK(err.str().empty());
  }

  TEST_CASE("the ticker redraws one status line and clears it") {
    std::ostringstream err;
    {
      steps::Progress p(err, false, true);
      p.started("smoke-test");
      std::this_thread::sleep_for(1200ms);
      p.done("smoke-test", 1200ms, "no findings");
    }
    auto s = err.str();
    CHECK(s.find("\r\033[Kdockgate: running smoke-test") != std::string::npos);
    CHECK(s.find("dockgate: smoke-test done in 1.2s: no findings\n") != std::string::npos);
  }
}
