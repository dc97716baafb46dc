// Every input a fuzzer found a crash, hang or blow-up with stays a test: the files under
// tests/data/fuzz/<target>/ run through the same code as the harness fuzz_<target>
// (fuzz/targets.hpp). In the asan preset this also runs them under ASan and UBSan.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "fuzz/targets.hpp"
#include "tests/support.hpp"

namespace dg::test {

TEST_CASE("fuzz regressions: every saved input runs through its target and returns") {
  auto root = data("fuzz");
  int replayed = 0;
  for (auto& [name, run] : fuzz::targets()) {
    auto dir = root / std::string(name);
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> inputs;
    for (auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file() && e.path().filename() != "README.md") inputs.push_back(e.path());
    std::sort(inputs.begin(), inputs.end());
    for (auto& p : inputs) {
      CAPTURE(p.string());
      run(read(p));
      ++replayed;
    }
  }
  // Every directory there belongs to a target: a misspelled one would silently replay nothing.
  if (fs::is_directory(root))
    for (auto& e : fs::directory_iterator(root))
      if (e.is_directory()) {
        CAPTURE(e.path().filename().string());
        CHECK(std::any_of(fuzz::targets().begin(), fuzz::targets().end(),
                          [&](auto& t) { return t.first == e.path().filename().string(); }));
      }
  MESSAGE("replayed " << replayed << " fuzz regression inputs");
}

TEST_CASE("fuzz harnesses: one per target and fuzz/run.sh runs them all") {
  std::set<std::string> targets, harnesses, in_run_sh;
  for (auto& t : fuzz::targets()) targets.insert(std::string(t.first));
  std::regex harness("fuzz_(.+)\\.cpp");
  for (auto& e : fs::directory_iterator(source_dir() / "fuzz")) {
    std::smatch m;
    auto file = e.path().filename().string();
    if (std::regex_match(file, m, harness)) {
      harnesses.insert(m[1]);
      CHECK(read(e.path()).find("DG_FUZZ_TARGET(" + m[1].str() + ")") != std::string::npos);
    }
  }
  CHECK(harnesses == targets);
  std::smatch m;
  auto run_sh = read(source_dir() / "fuzz/run.sh");
  REQUIRE(std::regex_search(run_sh, m, std::regex("\nall=\\(([^)]*)\\)")));
  std::string list = m[1];
  std::regex word("[a-z_]+");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), word); it != std::sregex_iterator(); ++it)
    in_run_sh.insert(it->str());
  CHECK(in_run_sh == targets);
}

}  // namespace dg::test
