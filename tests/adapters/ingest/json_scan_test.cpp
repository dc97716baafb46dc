#include "adapters/ingest/json_scan.hpp"

#include <random>
#include <string>

#include "tests/support.hpp"

using namespace dg;
using ingest::json::closing_quote;
using ingest::json::kNoClose;
using ingest::json::match_close;
using ingest::json::match_close_bytewise;
using ingest::json::match_close_portable;

TEST_SUITE("ingest.json_scan") {
  TEST_CASE("the block scan agrees with the byte scan on random bracket and quote soup") {
    // Quotes, backslash runs and brackets in every arrangement, across 64-byte block edges, and
    // text that never closes. A fixed seed: a failure is the same failure again.
    const std::string alphabet = "{}[]\"\\\\\\ax, ";
    std::mt19937 rng(20261201);
    int closed = 0, open_to_end = 0;
    for (int n = 0; n < 20000; ++n) {
      std::size_t len = 1 + rng() % 300;
      std::string t(len, ' ');
      for (auto& c : t) c = alphabet[rng() % alphabet.size()];
      std::size_t open = rng() % len;
      t[open] = (rng() & 1) ? '{' : '[';
      std::size_t want = match_close_bytewise(t, open);
      CAPTURE(t);
      CAPTURE(open);
      REQUIRE(match_close(t, open) == want);
      REQUIRE(match_close_portable(t, open) == want);  // the kernel of a CPU without AVX2
      (want == kNoClose ? open_to_end : closed)++;
    }
    CHECK(closed > 1000);       // both outcomes were exercised
    CHECK(open_to_end > 1000);
  }

  TEST_CASE("backslash runs that cross a block edge escape the quote after them or not") {
    // ["aaa…\\\"…"] with the run of backslashes ending on every position around byte 64 and 128:
    // an odd run escapes the quote (the string goes on), an even one does not.
    for (std::size_t pad = 40; pad < 140; ++pad) {
      for (int run = 1; run <= 5; ++run) {
        std::string t = "[\"" + std::string(pad, 'a') + std::string(static_cast<std::size_t>(run), '\\') +
                        "\"]\"]" + std::string(70, ' ');
        CAPTURE(pad);
        CAPTURE(run);
        std::size_t quote = 2 + pad + static_cast<std::size_t>(run);
        // Odd: the quote is escaped, "] is inside the string, the string ends at the next quote.
        std::size_t want = run % 2 ? quote + 4 : quote + 2;
        CHECK(match_close(t, 0) == want);
        CHECK(match_close_portable(t, 0) == want);
        CHECK(match_close_bytewise(t, 0) == want);
      }
    }
  }

  TEST_CASE("brackets inside strings do not count and a value that never closes says so") {
    CHECK(match_close(R"({"a":"}]","b":["{"]} tail)", 0) == 20);
    CHECK(match_close(R"([1,[2,[3]],"]"])", 0) == 15);
    std::string unclosed = "[" + std::string(200, '[') + std::string(200, ']');
    CHECK(match_close(unclosed, 0) == kNoClose);
    CHECK(match_close(unclosed, 1) == 401);
    std::string in_string = "{\"" + std::string(500, '}');
    CHECK(match_close(in_string, 0) == kNoClose);
  }

  TEST_CASE("a string closes at the first quote after an even run of backslashes") {
    CHECK(closing_quote(R"(abc" x)", 0) == 3);
    CHECK(closing_quote(R"(a\"b" x)", 0) == 4);    // \" is escaped
    CHECK(closing_quote(R"(a\\" x)", 0) == 3);     // \\ is a backslash: the quote closes
    CHECK(closing_quote(R"(a\\\"b" x)", 0) == 6);  // \\\" : the quote is escaped
    CHECK(closing_quote(R"(\" never)", 0) == kNoClose);
    CHECK(closing_quote("", 0) == kNoClose);
  }

  TEST_CASE("every JSON report of the corpus closes where its text ends") {
    int files = 0;
    for (auto& e : test::fs::recursive_directory_iterator(test::corpus())) {
      auto ext = e.path().extension();
      if (ext != ".json" && ext != ".sarif") continue;
      std::string t = test::read(e.path());
      std::size_t first = t.find_first_of("{[");
      std::size_t last = t.find_last_of("}]");
      if (first == std::string::npos || t.find_first_not_of(" \t\r\n\xEF\xBB\xBF") != first) continue;
      ++files;
      CAPTURE(e.path().string());
      CHECK(match_close(t, first) == last + 1);
    }
    CHECK(files > 50);
  }
}
