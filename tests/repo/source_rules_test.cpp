// Rules of the house that a reader cannot see in one file but a test can.
#include <regex>

#include "tests/support.hpp"

namespace dg::test {

// Parsers read hostile text: std::stoi and friends throw on a number too long for its type, and an
// exception that escapes a parser ends the process (the fuzzers found it twice: a FROM stage
// index and a VEX version epoch). std::from_chars returns an error value instead.
TEST_CASE("repository: no std::sto* number parsing in src or adapters") {
  std::regex banned(R"(std::sto(i|l|ll|ul|ull|f|d|ld)\s*\()");
  int files = 0;
  for (auto dir : {"src", "adapters"})
    for (auto& e : fs::recursive_directory_iterator(source_dir() / dir)) {
      auto ext = e.path().extension();
      if (!e.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
      ++files;
      std::string text = read(e.path());
      std::smatch m;
      INFO(e.path().string());
      CHECK_FALSE(std::regex_search(text, m, banned));
    }
  CHECK(files > 100);
}

}  // namespace dg::test
