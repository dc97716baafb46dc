#include "src/util/gzip.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("util.gzip") {
  // The SARIF writer checks GitHub's 10 MB limit with the fastest level first, and trusts it when
  // it fits: its output must not be smaller than the default level's on what the writer writes.
  TEST_CASE("the fastest level is larger than the default on repetitive JSON") {
    std::string text;
    for (int i = 0; i < 20000; ++i)
      text += "    {\n      \"ruleId\": \"CVE-2024-" + std::to_string(10000 + i * 7 % 5000) +
              "\",\n      \"level\": \"" + (i % 3 ? "warning" : "error") + "\",\n      \"message\": {\n        \"text\": \"pkg" +
              std::to_string(i % 97) + " 1." + std::to_string(i % 13) + " in registry.example/app:1\"\n      }\n    },\n";
    auto fast = util::gzip_size(text, 1), normal = util::gzip_size(text);
    REQUIRE(fast);
    REQUIRE(normal);
    CHECK(*normal < text.size() / 5);
    CHECK(*fast > *normal);
    auto empty = util::gzip_size("");
    REQUIRE(empty);
    CHECK(*empty == 20);  // header, an empty block and the trailer
  }
}
