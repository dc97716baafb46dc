#include "src/steps/progress.hpp"

#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "tests/support.hpp"

using namespace dg;
using namespace std::chrono_literals;

namespace {
// Records every piece handed to the stream buffer: an unbuffered stderr writes each piece with its
// own write(), and spdlog (-v) writes its lines from other threads in between.
struct Pieces : std::streambuf {
  std::vector<std::string> got;
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    got.emplace_back(s, static_cast<std::size_t>(n));
    return n;
  }
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) got.emplace_back(1, static_cast<char>(c));
    return c;
  }
};
}  // namespace

TEST_SUITE("steps.progress") {
  TEST_CASE("each progress line reaches stderr in one write with its newline") {
    Pieces buf;
    std::ostream err(&buf);
    {
      steps::Progress p(err, false, false);
      p.started("trivy");
      p.done("trivy", 1200ms, "6 findings");
      p.note("dockgate: not configured: grype");
    }
    REQUIRE(buf.got.size() == 3);  // before: "…6 findings" and "\n" were two writes, so a log line fit between
    CHECK(buf.got[0] == "dockgate: trivy started\n");
    CHECK(buf.got[1] == "dockgate: trivy done in 1.2s: 6 findings\n");
    CHECK(buf.got[2] == "dockgate: not configured: grype\n");
  }

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
