// Issue 16 rows 2 and 15: linting stays linear in the Dockerfile. The files below took minutes
// (a Python rule looked back over the stage at every RUN; the inline-ignore filter compared
// every hit with every instruction; stage aliases were looked up by scanning every stage). Run
// as a process with a timeout far above the linear cost. The rules that fire on every line are
// disabled on the command line: lint_text still computes (and filters) their hits, but the
// hundreds of thousands of findings do not go on to the reports, which are not what is measured.
#include "src/lint/lint.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

test::ProcResult run_lint(const test::fs::path& dockerfile, const std::string& disable) {
  return test::run_process({test::dockgate_binary(), "lint", dockerfile.string(), "--format", "json", "-q",
                            "--fail-on", "none", "--disable", disable},
                           {}, {}, 30);
}

std::size_t count_rule(const std::vector<lint::Hit>& hits, const std::string& rule) {
  std::size_t n = 0;
  for (auto& h : hits) n += h.rule == rule;
  return n;
}

}  // namespace

TEST_SUITE("lint.lint") {
  TEST_CASE("a Python Dockerfile of 100000 lines is linted in linear time") {
    test::TempDir tmp;
    std::string df = "FROM python:3.12-slim\n";
    for (int i = 0; i < 100000; ++i) df += "RUN pip install pkg" + std::to_string(i) + "\n";
    test::write(tmp / "Dockerfile", df);
    auto r = run_lint(tmp / "Dockerfile", "DG130,DG171");
    CHECK_MESSAGE(r.code == 0, "exit " << r.code << ": " << r.err.substr(0, 2000));
    CHECK(r.out.find("\"DG110\"") != std::string::npos);  // the other rules still ran
  }

  TEST_CASE("200000 RUN lines with inline ignores are filtered in linear time") {
    test::TempDir tmp;
    std::string df = "FROM debian:12\n";
    for (int i = 0; i < 200000; ++i) {
      if (i % 2 == 0) df += "# dockgate-ignore DG171\n";
      df += "RUN echo " + std::to_string(i) + "\n";
    }
    test::write(tmp / "Dockerfile", df);
    auto r = run_lint(tmp / "Dockerfile", "DG171");
    CHECK_MESSAGE(r.code == 0, "exit " << r.code << ": " << r.err.substr(0, 2000));
  }

  TEST_CASE("a Dockerfile of 50000 chained stages is linted in linear time") {
    test::TempDir tmp;
    std::string df = "FROM python:3.12-slim AS s0\n";
    for (int i = 1; i < 50000; ++i)
      df += "FROM s" + std::to_string(i - 1) + " AS s" + std::to_string(i) + "\nRUN pip install --no-cache-dir p\n";
    test::write(tmp / "Dockerfile", df);
    auto r = run_lint(tmp / "Dockerfile", "DG171");
    REQUIRE_MESSAGE(r.code == 0, "exit " << r.code << ": " << r.err.substr(0, 2000));
    // The chain ends at python:3.12-slim: one finding about its user, on the final stage.
    std::size_t n = 0;
    for (auto p = r.out.find("\"DG110\""); p != std::string::npos; p = r.out.find("\"DG110\"", p + 1)) ++n;
    CHECK(n == 1);
  }

  TEST_CASE("inline ignores drop exactly the hits of the instruction below them") {
    std::string df = "FROM debian:12\n";
    for (int i = 0; i < 2000; ++i) {
      if (i % 2 == 0) df += "# dockgate-ignore DG171\n";
      df += "RUN echo " + std::to_string(i) + " && \\\n    true\n";
    }
    // Consecutive RUNs: one DG171 per RUN after the first; the ignored half are the even ones.
    CHECK(count_rule(lint::lint_text(df, std::nullopt), "DG171") == 1000);
    std::string small =
        "FROM debian:12\n"
        "# dockgate-ignore DG121\n"
        "RUN apt-get update && \\\n"
        "    apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"
        "RUN apt-get update && apt-get install -y wget && rm -rf /var/lib/apt/lists/*\n";
    std::vector<int> dg121;
    for (auto& h : lint::lint_text(small, std::nullopt))
      if (h.rule == "DG121") dg121.push_back(h.line);
    CHECK(dg121 == std::vector<int>{5});
  }
}
