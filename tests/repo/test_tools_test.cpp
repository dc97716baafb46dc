// scripts/check-test-tools.sh (run by scripts/test.sh before ctest) and the skip code: a test
// whose outside program is missing is never a silent pass.
#include <cstdlib>

#include "tests/support.hpp"

using namespace dg;

TEST_CASE("repository: test.sh names each missing test tool and stops") {
  test::TempDir bin;
  // Only what the script itself runs; every tool it checks is absent from this PATH.
  for (auto* tool : {"dirname", "bash"}) test::fs::create_symlink(test::fs::path("/usr/bin") / tool, bin / tool);
  auto script = (test::source_dir() / "scripts/check-test-tools.sh").string();
  auto r = test::run_process({"/bin/bash", script}, {{"PATH", bin.path.string()}, {"DOCKGATE_ALLOW_MISSING_TOOLS", ""}});
  CHECK(r.code == 1);
  for (auto* tool : {"xmllint", "jq", "shellcheck", "skopeo", "umoci", "man"})
    CHECK_MESSAGE(r.err.find(std::string("test.sh: missing ") + tool + " (scripts/bootstrap.sh installs it)\n") !=
                      std::string::npos,
                  r.err);
  CHECK(r.err.find("DOCKGATE_ALLOW_MISSING_TOOLS=1 skips the tests that need them") != std::string::npos);

  auto allowed = test::run_process({"/bin/bash", script}, {{"PATH", bin.path.string()}, {"DOCKGATE_ALLOW_MISSING_TOOLS", "1"}});
  CHECK_MESSAGE(allowed.code == 0, allowed.err);
  CHECK(allowed.err.find("reported as skipped") != std::string::npos);
}

// Does something only when the next test runs it (DOCKGATE_TEST_SELFCHECK=1): asks for a program
// that is never installed.
TEST_CASE("support: a test that needs a missing program") {
  const char* self = std::getenv("DOCKGATE_TEST_SELFCHECK");
  if (!self || std::string(self) != "1") return;
  if (!test::need_program("dockgate-no-such-program")) return;
  FAIL("unreachable: the program does not exist");
}

TEST_CASE("support: a missing program is a visible skip and a failure under CI") {
  auto tests = test::fs::read_symlink("/proc/self/exe");  // this test binary
  auto run = [&](const std::string& ci, const std::string& allow) {
    return test::run_process({tests.string(), "-tc=support: a test that needs a missing program"},
                             {{"DOCKGATE_TEST_SELFCHECK", "1"}, {"DOCKGATE_TEST_SKIP_CODE", "77"}, {"CI", ci},
                              {"DOCKGATE_ALLOW_MISSING_TOOLS", allow}});
  };
  auto dev = run("", "");
  CHECK_MESSAGE(dev.code == 77, dev.out, dev.err);  // ctest's SKIP_RETURN_CODE: listed as skipped
  CHECK(dev.err.find("skipped checks: missing dockgate-no-such-program") != std::string::npos);
  auto ci = run("true", "");
  CHECK_MESSAGE(ci.code == 1, ci.out, ci.err);
  CHECK(ci.out.find("dockgate-no-such-program is missing under CI=true") != std::string::npos);
  CHECK(run("true", "1").code == 77);
}
