// hadolint's checkstyle, junit and gitlab_codeclimate formats, rendered from the corpus JSON
// reports by tests/data/ingest/render_hadolint.py (which follows hadolint's formatters): each
// must give the lint step the JSON gives.
#include <map>
#include <set>
#include <tuple>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

using Key = std::tuple<std::string, std::string, int, int, std::string>;  // code, file, line, severity, title

std::map<Key, int> keys(const model::StepResult& s) {
  std::map<Key, int> out;
  for (auto& f : s.findings)
    ++out[{f.rule_id, f.location.path, f.location.line, static_cast<int>(f.severity), f.title}];
  return out;
}

void same_as_json(const std::string& corpus_file, const std::string& format, const std::string& variant) {
  CAPTURE(corpus_file);
  CAPTURE(format);
  test::TempDir tmp;
  auto out = tmp / ("hadolint." + format);
  auto json = test::corpus(corpus_file);
  auto r = test::run_process(
      {"/usr/bin/python3", test::data("ingest/render_hadolint.py").string(), json.string(), format, out.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  auto a = ingest::parse_report(out);
  auto b = ingest::parse_report(json);
  REQUIRE_MESSAGE(a, (a ? "" : a.error().to_string()));
  REQUIRE(b);
  CHECK(a->format == variant);
  REQUIRE(a->steps.size() == 1);
  CHECK(a->steps[0].name == "lint");
  CHECK(a->steps[0].tool == "hadolint");
  CHECK(keys(a->steps[0]) == keys(b->steps.at(0)));
  // Same problem, same fingerprint: a baseline made from one format recognizes the other.
  std::multiset<std::string> fa, fb;
  for (auto& f : a->steps[0].findings) fa.insert(f.fingerprint);
  for (auto& f : b->steps[0].findings) fb.insert(f.fingerprint);
  CHECK(fa == fb);
}

}  // namespace

TEST_SUITE("ingest.hadolint_formats") {
  TEST_CASE("checkstyle junit and gitlab_codeclimate agree with hadolint JSON on the corpus") {
    for (std::string file : {"hadolint/dd-one_dockerfile.json", "hadolint/issue588-hadolint-1.23.0-two-files.json",
                             "hadolint/issue125-hadolint-abs-path.json"}) {
      same_as_json(file, "checkstyle", "checkstyle");
      same_as_json(file, "junit", "hadolint-junit");
      same_as_json(file, "gitlab_codeclimate", "codeclimate");
    }
  }

  TEST_CASE("checkstyle from another linter is its own step") {
    auto in = ingest::make_input("cs.xml", R"(<?xml version="1.0"?><checkstyle version="8.0"><file name="src/a.js">
<error line="3" column="5" severity="warning" message="Unexpected var" source="eslint.rules.no-var"/>
<error line="4" column="1" severity="error" message="Pin versions" source="DL3008"/></file></checkstyle>)");
    auto fmt = ingest::sniff(in);
    REQUIRE(fmt);
    CHECK(fmt->variant == "checkstyle");
    auto r = ingest::parse_checkstyle(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    REQUIRE(r->steps.size() == 2);
    CHECK(r->steps[0].name == "lint");
    CHECK(r->steps[0].findings.at(0).severity == model::Severity::High);
    CHECK(r->steps[1].name == "checkstyle");
    CHECK(r->steps[1].findings.at(0).rule_id == "eslint.rules.no-var");
    CHECK(r->steps[1].findings.at(0).location.line == 3);
  }

  TEST_CASE("a hadolint parse error in JUnit is DL1000 at its line and broken XML names its position") {
    auto in = ingest::make_input("h.xml", R"(<?xml version="1.0" encoding="UTF-8"?><testsuites id="x" name="Hadolint run at 2026-11-23 12:00:00" time="0.001"><testsuite id="hadolint" name="Hadolint 2.12.0" failures="1" errors="1"><testcase id="hadolint.error" name="DL1000" time="0.001"><failure type="error" message="parse error at line 3, column 1">Parse Error in Dockerfile
Line: 3
Column: 1
Parse Error: unexpected 'X'
</failure></testcase></testsuite></testsuites>)");
    auto r = ingest::parse_input(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& f = r->steps.at(0).findings.at(0);
    CHECK(f.rule_id == "DL1000");
    CHECK(f.location.path == "Dockerfile");
    CHECK(f.location.line == 3);
    CHECK(f.location.column == 1);
    CHECK(f.severity == model::Severity::High);

    auto cut = ingest::make_input("cut.xml", "<?xml version='1.0'?><checkstyle version='4.3'>\n<file name='D'><error line='1' ");
    auto e = ingest::parse_input(cut);
    REQUIRE_FALSE(e);
    CHECK(e.error().kind == util::ErrorKind::Input);
    CHECK(e.error().line == 2);
  }
}
