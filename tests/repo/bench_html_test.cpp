// bench/html.sh gives the numbers the HTML report's docs quote (page size and load time at 1,000
// and 100,000 findings): it must keep running against the browser driver the tests use.
#include "tests/support.hpp"

using namespace dg;

TEST_CASE("repository: bench/html.sh measures a small page in chromium") {
  if (!test::need_program("chromium") || !test::need_program("python3")) return;
  auto script = (test::source_dir() / "bench/html.sh").string();
  auto r = test::run_process({"/bin/bash", script, "50"}, {{"RUNS", "1"}, {"DOCKGATE", test::dockgate_binary()}}, {}, 300);
  REQUIRE_MESSAGE(r.code == 0, r.out << r.err);
  // The header and one row: findings, page size, the gate's time, then the browser's timings.
  CHECK(r.out.starts_with("| findings | page |"));
  auto row = r.out.substr(r.out.rfind("\n|", r.out.size() - 2) + 1);
  CHECK_MESSAGE(row.find(" MB | ") != std::string::npos, row);
  CHECK_MESSAGE(row.find(" ms | ") != std::string::npos, row);
}
