// util::OutputFile: an output written in pieces (the SARIF log) lands whole or not at all.
#include <sys/stat.h>

#include "src/util/file.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {
std::size_t entries(const test::fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] auto& e : test::fs::directory_iterator(dir)) ++n;
  return n;
}
}  // namespace

TEST_SUITE("util.output_file") {
  TEST_CASE("pieces are renamed into place at commit and rewind starts over") {
    test::TempDir tmp;
    auto path = tmp / "out" / "log.sarif";
    {
      util::OutputFile f;
      REQUIRE(f.open(path));
      REQUIRE(f.write("first try"));
      REQUIRE(f.rewind());
      REQUIRE(f.write("{\n"));
      REQUIRE(f.write("}\n"));
      CHECK(!test::fs::exists(path));  // nothing in place before commit
      REQUIRE(f.commit());
    }
    CHECK(test::read(path) == "{\n}\n");
    CHECK(entries(tmp / "out") == 1);  // no temporary left
  }

  TEST_CASE("an output never committed leaves the old file and no temporary") {
    test::TempDir tmp;
    auto path = tmp / "log.sarif";
    test::write(path, "old");
    {
      util::OutputFile f;
      REQUIRE(f.open(path));
      REQUIRE(f.write("half a log"));
    }
    CHECK(test::read(path) == "old");
    CHECK(entries(tmp.path) == 1);
  }

  TEST_CASE("an output path that is a FIFO is refused at open") {
    test::TempDir tmp;
    REQUIRE(::mkfifo((tmp / "fifo").c_str(), 0600) == 0);
    util::OutputFile f;
    auto r = f.open(tmp / "fifo");
    REQUIRE(!r);
    CHECK(r.error().message.find("FIFO") != std::string::npos);
  }
}
