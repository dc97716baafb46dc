// primaryLocationLineHash must be the value github/codeql-action computes (src/fingerprints.ts):
// the upload action keeps an existing value but warns when its own differs. The expected hashes
// are the ones in codeql-action's own src/fingerprints.test.ts ("hash" test).
#include "src/report/line_hash.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using dg::report::line_hashes;
using V = std::vector<std::string>;

TEST_SUITE("report.line_hash") {
  TEST_CASE("line hashes match codeql-action fingerprints test vectors") {
    CHECK(line_hashes("") == V{"c129715d7a2bc9a3:1"});
    CHECK(line_hashes(" a\nb\n  \t\tc\n d") ==
          V{"271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"});
    CHECK(line_hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End") ==
          V{"8b7cf3e952e7aeb2:1", "b1ae1287ec4718d9:1", "bff680108adb0fcc:1", "c6805c5e1288b612:1",
            "b86d3392aea1be30:1", "e6ceba753e1a442:1"});
    const V ended{"e9496ae3ebfced30:1", "fb7c023a8b9ccb3f:1", "ce8ba1a563dcdaca:1", "e20e36e16fcb0cc8:1",
                  "b3edc88f2938467e:1", "c8e28b0b4002a3a0:1", "c129715d7a2bc9a3:1"};
    // Every line ending (LF, CR, CRLF and mixes) hashes the same.
    CHECK(line_hashes(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n") == ended);
    CHECK(line_hashes(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r") == ended);
    CHECK(line_hashes(" hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n") == ended);
    CHECK(line_hashes(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n") == ended);
  }

  TEST_CASE("repeated lines get an occurrence counter as in codeql-action") {
    std::string text;
    for (int i = 0; i < 10; ++i) text += "Lorem ipsum dolor sit amet.\n";
    CHECK(line_hashes(text) == V{"a7f2ff13bc495cf2:1", "a7f2ff13bc495cf2:2", "a7f2ff13bc495cf2:3",
                                 "a7f2ff13bc495cf2:4", "a7f2ff13bc495cf2:5", "a7f2ff13bc495cf2:6",
                                 "a7f2ff1481e87703:1", "a9cf91f7bbf1862b:1", "55ec222b86bcae53:1",
                                 "cc97dc7b1d7d8f7b:1", "c129715d7a2bc9a3:1"});
  }

  TEST_CASE("non-ASCII text hashes UTF-16 code units like JavaScript strings") {
    // "é" is one UTF-16 unit, "😀" two: the same line count either way, and distinct hashes.
    auto a = line_hashes("caf\xC3\xA9\n");
    auto b = line_hashes("caf\xF0\x9F\x98\x80\n");
    REQUIRE(a.size() == 2);
    REQUIRE(b.size() == 2);
    CHECK(a[0] != b[0]);
    CHECK(a[1] == "c129715d7a2bc9a3:1");
  }
}
