#include "adapters/ingest/csv.hpp"
#include "tests/support.hpp"

using namespace dg::ingest;

namespace {

std::vector<std::vector<std::string>> all(std::string_view text, std::string* error = nullptr) {
  csv::Reader r(text);
  csv::Record rec;
  std::vector<std::vector<std::string>> out;
  while (r.next(rec)) out.push_back(rec.fields);
  if (error) *error = r.failed() ? r.error() + "@" + std::to_string(r.error_offset()) : "";
  return out;
}

}  // namespace

TEST_SUITE("ingest.csv") {
  TEST_CASE("plain fields with CRLF LF and no final line break") {
    using V = std::vector<std::vector<std::string>>;
    CHECK(all("a,b\r\nc,d\r\n") == V{{"a", "b"}, {"c", "d"}});
    CHECK(all("a,b\nc,d") == V{{"a", "b"}, {"c", "d"}});
    CHECK(all("a,,\n") == V{{"a", "", ""}});
    CHECK(all(",\n") == V{{"", ""}});
    CHECK(all("").empty());
  }

  TEST_CASE("quoted fields hold commas and line breaks and doubled quotes") {
    using V = std::vector<std::vector<std::string>>;
    CHECK(all("\"a,b\",\"x\r\ny\",\"say \"\"hi\"\"\"\r\nz,\"\",\"\"\"\"\r\n") ==
          V{{"a,b", "x\r\ny", "say \"hi\""}, {"z", "", "\""}});
  }

  TEST_CASE("records know their line even after a multi-line field") {
    csv::Reader r("h1,h2\r\n\"one\ntwo\nthree\",x\r\n\r\nlast,y\r\n");
    csv::Record rec;
    REQUIRE(r.next(rec));
    CHECK(rec.line == 1);
    REQUIRE(r.next(rec));
    CHECK(rec.line == 2);
    CHECK(rec.offset == 7);
    REQUIRE(r.next(rec));
    CHECK(rec.line == 6);  // after the blank line
    CHECK(rec.fields[0] == "last");
    CHECK_FALSE(r.next(rec));
    CHECK_FALSE(r.failed());
  }

  TEST_CASE("an unclosed quote and text after a closing quote are errors with an offset") {
    std::string err;
    all("a,\"open\r\nb,c\r\n", &err);
    CHECK(err == "a quoted field is not closed before the end of the file@2");
    all("\"a\"b,c\n", &err);
    CHECK(err.starts_with("unexpected character after a closing quote"));
    CHECK(err.ends_with("@3"));
  }

  TEST_CASE("a lone quote inside an unquoted field is kept as is") {
    using V = std::vector<std::vector<std::string>>;
    CHECK(all("it's,5\" long\n") == V{{"it's", "5\" long"}});
  }
}
