#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "tests/support.hpp"

// doctest has no run-time skip: a test that lacked an outside program (test::need) passes, and
// the process reports it here, so ctest (SKIP_RETURN_CODE, set in CMakeLists.txt) shows it skipped.
int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  int res = context.run();
  if (context.shouldExit() || res != 0) return res;
  auto& skipped = dg::test::skipped_for();
  if (skipped.empty()) return res;
  std::string names;
  for (auto& s : skipped) names += (names.empty() ? "" : ", ") + s;
  std::cerr << "skipped checks: missing " << names << "\n";
  // ctest's SKIP_RETURN_CODE: a test that skipped a check is shown as skipped, not passed.
  if (const char* code = std::getenv("DOCKGATE_TEST_SKIP_CODE")) {
    int n = 0;
    std::string_view text(code);
    if (std::from_chars(text.data(), text.data() + text.size(), n).ec == std::errc()) return n;
  }
  return res;
}
