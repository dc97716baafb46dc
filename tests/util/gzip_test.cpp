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

  TEST_CASE("a counter fed in more pieces than it queues counts what gzip_size counts for the whole") {
    // The compression runs on a thread of its own behind a queue of a few pieces: the writer
    // waits when it is full, and finish() counts everything added.
    std::string whole;
    util::GzipCounter gz(1);
    for (int i = 0; i < 40; ++i) {
      std::string piece;
      for (int j = 0; j < 3000; ++j) piece += "{\"ruleId\": \"CVE-" + std::to_string(i * 3000 + j) + "\"},\n";
      whole += piece;
      if (i % 2) gz.add(piece);
      else gz.take(piece);  // the writer's way: no copy
    }
    auto pieces = gz.finish();
    auto one = util::gzip_size(whole, 1);
    REQUIRE(pieces);
    REQUIRE(one);
    CHECK(*pieces == *one);
    CHECK(*pieces < whole.size() / 3);
  }

  TEST_CASE("a counter dropped before finish stops its worker") {
    // The SARIF writer starts over on a cut and replaces its counter mid-log.
    for (int round = 0; round < 20; ++round) {
      util::GzipCounter gz;
      for (int i = 0; i < 8; ++i) gz.add(std::string(200000, static_cast<char>('a' + i)));
    }
    util::GzipCounter unused;  // never fed: no worker to stop
    CHECK(util::gzip_size(std::string(1000, 'x')).has_value());
  }
}
