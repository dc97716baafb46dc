#include "adapters/ingest/json_pieces.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "adapters/ingest/parsers.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

// The same report, read whole: a scalar member at the root (grype never writes one) is what
// makes parse_json_pieces leave the cutting to simdjson. Inserted on the first line, it moves
// no line number.
std::string read_whole_variant(const std::string& report) {
  std::size_t brace = report.find('{');
  return report.substr(0, brace + 1) + "\"dockgateTest\": 1, " + report.substr(brace + 1);
}

std::vector<std::string> facts(const model::StepResult& s) {
  std::vector<std::string> out;
  for (auto& f : s.findings)
    out.push_back(f.fingerprint + " " + f.rule_id + " " + f.package.name + "@" + f.package.version + " " +
                  std::string(model::to_string(f.severity)) + " " + f.location.target + " " + f.location.layer +
                  " " + f.package.path + " " + f.package.fixed_version + " " + f.help_uri + " " + f.message);
  return out;
}

}  // namespace

TEST_SUITE("ingest.json_pieces") {
  TEST_CASE("a grype report is read one match at a time and gives what the whole parse gives") {
    int files = 0;
    for (auto& e : test::fs::directory_iterator(test::corpus("grype"))) {
      if (e.path().extension() != ".json") continue;
      std::string text = test::read(e.path());
      CAPTURE(e.path().filename().string());
      auto piece = ingest::json::largest_piece(text, "matches");
      REQUIRE(piece);
      std::string whole = read_whole_variant(text);
      REQUIRE_FALSE(ingest::json::largest_piece(whole, "matches"));
      auto a = ingest::parse_grype_json(ingest::make_input("a.json", text));
      auto b = ingest::parse_grype_json(ingest::make_input("a.json", whole));
      REQUIRE_MESSAGE(a, (a ? "" : a.error().to_string()));
      REQUIRE_MESSAGE(b, (b ? "" : b.error().to_string()));
      REQUIRE(a->steps.size() == 1);
      CHECK(a->steps[0].tool_version == b->steps[0].tool_version);
      CHECK(facts(a->steps[0]) == facts(b->steps[0]));
      ++files;
    }
    CHECK(files >= 10);
  }

  TEST_CASE("the largest piece of a big grype report is one match") {
    std::string text = test::read(test::corpus("grype/dd-many_vulns3.json"));
    auto piece = ingest::json::largest_piece(text, "matches");
    REQUIRE(piece);
    CHECK(*piece < 40000);  // 821 KB of report; simdjson indexes a few dozen KB at a time
  }

  TEST_CASE("an error in a late match names the same line in pieces and whole") {
    std::string text = test::read(test::corpus("grype/dd-many_vulns3.json"));
    // The 40th match loses its vulnerability id; whole or in pieces, the error is at that match.
    std::size_t at = 0;
    for (int n = 0; n < 40; ++n) at = text.find("\"vulnerability\": {", at + 1);
    REQUIRE(at != std::string::npos);
    std::string broken = text;
    broken.replace(at, 15, "\"vulnerabilityX\"");
    for (const auto& variant : {broken, read_whole_variant(broken)}) {
      auto r = ingest::parse_grype_json(ingest::make_input("b.json", variant));
      REQUIRE_FALSE(r);
      CHECK(r.error().message.find("no vulnerability id") != std::string::npos);
      int line_of_id = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
      CHECK(r.error().line < line_of_id);           // the match starts before its id
      CHECK(r.error().line > line_of_id - 200);     // and not far before it
    }
    auto a = ingest::parse_grype_json(ingest::make_input("b.json", broken));
    auto b = ingest::parse_grype_json(ingest::make_input("b.json", read_whole_variant(broken)));
    REQUIRE_FALSE(a);
    REQUIRE_FALSE(b);
    CHECK(a.error().line == b.error().line);
  }

  TEST_CASE("invalid UTF-8 in a late match is repaired once with a warning at its line") {
    std::string text = test::read(test::corpus("grype/dd-many_vulns3.json"));
    std::size_t at = text.rfind("\"description\": \"");
    REQUIRE(at != std::string::npos);
    text[at + 17] = '\xff';
    int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
    for (const auto& variant : {text, read_whole_variant(text)}) {
      auto r = ingest::parse_grype_json(ingest::make_input("u.json", variant));
      REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
      REQUIRE(r->warnings.size() == 1);
      CHECK(r->warnings[0].find("u.json:" + std::to_string(line) + ":") == 0);
      CHECK(r->warnings[0].find("invalid UTF-8") != std::string::npos);
      bool repaired = false;
      for (auto& f : r->steps[0].findings) repaired |= f.message.find('?') != std::string::npos;
      CHECK(repaired);
    }
  }

  TEST_CASE("what cannot be cut is read whole and its errors are the whole parse's") {
    // Truncated between two matches, a second document after the root, an escaped key, the
    // array's key holding an object, a match that is a string: each is read whole.
    const char* cases[] = {
        "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\"}}, {\"vulnerability\": ",
        "{\"matches\": []} {\"matches\": []}",
        "{\"m\\u0061tches\": [{\"vulnerability\": {\"id\": \"CVE-1\"}}]}",
        "{\"matches\": {\"vulnerability\": {\"id\": \"CVE-1\"}}}",
        "{\"matches\": [\"CVE-1\"]}",
    };
    for (const char* c : cases) {
      CAPTURE(c);
      CHECK_FALSE(ingest::json::largest_piece(c, "matches"));
    }
    auto truncated = ingest::parse_grype_json(ingest::make_input("t.json", cases[0]));
    REQUIRE_FALSE(truncated);
    CHECK_MESSAGE(truncated.error().message.find("malformed JSON") != std::string::npos, truncated.error().message);
    auto second = ingest::parse_grype_json(ingest::make_input("s.json", cases[1]));
    REQUIRE_FALSE(second);
    CHECK(second.error().message.find("trailing content") != std::string::npos);
    auto escaped = ingest::parse_grype_json(ingest::make_input("e.json", cases[2]));
    REQUIRE_MESSAGE(escaped, (escaped ? "" : escaped.error().to_string()));
    REQUIRE(escaped->steps[0].findings.size() == 1);
    CHECK(escaped->steps[0].findings[0].rule_id == "CVE-1");
    auto object = ingest::parse_grype_json(ingest::make_input("o.json", cases[3]));
    REQUIRE_FALSE(object);
    CHECK(object.error().message.find("\"matches\" is an object, expected an array") != std::string::npos);
    auto scalar = ingest::parse_grype_json(ingest::make_input("c.json", cases[4]));
    REQUIRE_FALSE(scalar);
    CHECK(scalar.error().message.find("expected an object") != std::string::npos);
  }

  TEST_CASE("a malformed match is an error at that match, not a skipped one") {
    std::string text = "{\"matches\": [\n{\"vulnerability\": {\"id\": \"CVE-1\"}},\n{\"vulnerability\": {\"id\": \"CVE-2\" \"severity\": \"High\"}}\n]}";
    REQUIRE(ingest::json::largest_piece(text, "matches"));
    auto r = ingest::parse_grype_json(ingest::make_input("m.json", text));
    REQUIRE_FALSE(r);
    CHECK(r.error().file == "m.json");
    CHECK(r.error().line == 3);
  }
}
