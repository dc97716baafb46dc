// Issue 16 rows 2 and 15: linting stays linear in the Dockerfile. Both files below took minutes
// (a Python rule looked back over the stage at every RUN; the inline-ignore filter compared
// every hit with every instruction). Run as a process with a timeout far above the linear cost.
#include "src/lint/lint.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

test::ProcResult run_lint(const test::fs::path& dockerfile) {
  return test::run_process({test::dockgate_binary(), "lint", dockerfile.string(), "--format", "json", "-q",
                            "--fail-on", "none"},
                           {}, {}, 20);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("lint.lint") {
  TEST_CASE("a Python Dockerfile of 100000 lines is linted in linear time") {
    test::TempDir tmp;
    std::string df = "FROM python:3.12-slim\n";
    for (int i = 0; i < 100000; ++i) df += "RUN pip install pkg" + std::to_string(i) + "\n";
    test::write(tmp / "Dockerfile", df);
    auto r = run_lint(tmp / "Dockerfile");
    REQUIRE_MESSAGE(r.code == 0, "exit " << r.code << ": " << r.err.substr(0, 2000));
    CHECK(count(r.out, "\"DG130\"") >= 100000);  // one per pip install without --no-cache-dir
  }

  TEST_CASE("a Dockerfile of 50000 chained stages is linted in linear time") {
    // Each FROM looked for its alias among every earlier stage, and the final stage's chain
    // scanned every stage per link.
    test::TempDir tmp;
    std::string df = "FROM python:3.12-slim AS s0\n";
    for (int i = 1; i < 50000; ++i)
      df += "FROM s" + std::to_string(i - 1) + " AS s" + std::to_string(i) + "\nRUN pip install --no-cache-dir p\n";
    test::write(tmp / "Dockerfile", df);
    auto r = run_lint(tmp / "Dockerfile");
    REQUIRE_MESSAGE(r.code == 0, "exit " << r.code << ": " << r.err.substr(0, 2000));
    CHECK(count(r.out, "\"DG110\"") == 1);  // the chain ends at python:3.12-slim, running as root
  }

  TEST_CASE("100000 RUN lines with inline ignores are filtered in linear time") {
    test::TempDir tmp;
    std::string df = "FROM debian:12\n";
    for (int i = 0; i < 100000; ++i) {
      if (i % 2 == 0) df += "# dockgate-ignore DG171\n";
      df += "RUN echo " + std::to_string(i) + "\n";
    }
    test::write(tmp / "Dockerfile", df);
    auto r = run_lint(tmp / "Dockerfile");
    REQUIRE_MESSAGE(r.code == 0, "exit " << r.code << ": " << r.err.substr(0, 2000));
    // Consecutive RUNs: one DG171 per RUN after the first, half of them ignored.
    auto hits = count(r.out, "\"DG171\"");
    CHECK(hits > 40000);
    CHECK(hits < 60000);
  }

  TEST_CASE("an inline ignore covers every line of its instruction and nothing else") {
    std::string df =
        "FROM debian:12\n"
        "# dockgate-ignore DG121\n"
        "RUN apt-get update && \\\n"
        "    apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        "RUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*\n";
    std::vector<int> dg121;
    for (auto& h : lint::lint_text(df, std::nullopt))
      if (h.rule == "DG121") dg121.push_back(h.line);
    CHECK(dg121 == std::vector<int>{5});
  }
}
