// Issue 12: a report or Dockerfile that is not there says so, with one exit code in lint and run,
// and the hint does not point at dockgate.yml when the path came from the command line.
#include "tests/steps/steps_support.hpp"

using namespace dg;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string config(const test::TempDir& tmp, const std::string& steps) {
  auto p = tmp / "dockgate.yml";
  test::write(p, "image: app:dev\n"
                 "dockerfile: " + (tmp / "Dockerfile").string() + "\n"
                 "results-dir: " + (tmp / "out").string() + "\n"
                 "steps:\n" + steps);
  return p.string();
}
}  // namespace

TEST_SUITE("app.missing_inputs") {
  TEST_CASE("a steps.X.report that does not exist says so and not that it was not written") {
    test::TempDir tmp;
    test::write(tmp / "Dockerfile", "FROM alpine:3.20\n");
    auto cfg = config(tmp, "  trivy: { report: " + (tmp / "missing.json").string() + " }\n");
    auto r = test::cli({"run", "--config", cfg, "--fail-on", "none"});
    CHECK(r.code == 4);
    CHECK_MESSAGE(has(r.err, "steps.trivy.report: report " + (tmp / "missing.json").string() + " does not exist"), r.err);
    CHECK_FALSE(has(r.err, "was not written"));
  }

  TEST_CASE("a missing Dockerfile is exit 3 in lint and in run") {
    test::TempDir tmp;
    auto lint = test::cli({"lint", (tmp / "Dockerfile").string()});
    CHECK(lint.code == 3);
    CHECK_MESSAGE(has(lint.err, "Dockerfile not found: " + (tmp / "Dockerfile").string()), lint.err);

    auto cfg = config(tmp, "  lint: { tool: builtin }\n");
    auto from_config = test::cli({"run", "--config", cfg});
    CHECK(from_config.code == 3);
    CHECK_MESSAGE(has(from_config.err, "set dockerfile: in dockgate.yml"), from_config.err);

    auto given = test::cli({"run", "--config", cfg, "--dockerfile", (tmp / "Other.Dockerfile").string()});
    CHECK(given.code == 3);
    CHECK_MESSAGE(has(given.err, "Dockerfile not found: " + (tmp / "Other.Dockerfile").string()), given.err);
    CHECK_FALSE(has(given.err, "set dockerfile:"));
  }
}
