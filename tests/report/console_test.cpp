#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"

using namespace dg;

TEST_SUITE("report.console") {
  TEST_CASE("aligned table top findings and verdict without color") {
    report::ConsoleOptions o;
    auto out = report::write_console(test::mixed_run(), o);
    CHECK(out.find('\x1b') == std::string::npos);
    CHECK(out.find("verdict: error") != std::string::npos);
    CHECK(out.find("grype: error: grype exited with status 1") != std::string::npos);
    CHECK(out.find("critical CVE-2023-0286  libssl3@3.0.7-1 -> 3.0.8-1") != std::string::npos);
    // every table row is as wide as the header
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (lines.size() < 7) {
      auto end = out.find('\n', pos);
      lines.push_back(out.substr(pos, end - pos));
      pos = end + 1;
    }
    for (auto& l : lines) CHECK(l.size() == lines[0].size());
    CHECK(out.find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
  }

  TEST_CASE("color only when asked") {
    report::ConsoleOptions o;
    o.color = true;
    auto out = report::write_console(test::mixed_run(), o);
    CHECK(out.find("\x1b[1;35mverdict: error\x1b[0m") != std::string::npos);
    auto run = test::mixed_run();
    run.steps[0].findings[0].title = "evil \x1b]0;title\x07 \x1b[2J text";
    o.color = false;
    CHECK(report::write_console(run, o).find('\x1b') == std::string::npos);  // scanner escapes never pass
  }
}
