#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/adapters/ingest/bandit_support.hpp"

using namespace dg;

TEST_SUITE("ingest.bandit_json") {
  TEST_CASE("every corpus bandit JSON matches python's count of results and errors") {
    int files = 0;
    for (auto& e : test::fs::directory_iterator(test::corpus("bandit"))) {
      if (e.path().extension() != ".json") continue;
      ++files;
      CAPTURE(e.path().filename().string());
      auto r = ingest::parse_report(e.path(), "bandit");
      REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
      CHECK(r->format == "bandit-json");
      auto& s = r->steps.at(0);
      test::bandit::check_common(s);
      CHECK(std::to_string(s.findings.size()) + " " + std::to_string(s.errors.size()) ==
            test::bandit::json_counts(e.path()));
      CHECK(test::bandit::rule_ids(s) == test::bandit::json_rule_ids(e.path()));
    }
    CHECK(files >= 5);
  }

  TEST_CASE("DefectDojo reports have the documented counts") {
    for (auto [file, n] : {std::pair{"dd-dd.json", 47}, {"dd-dd2.json", 165}, {"dd-many_vulns.json", 214},
                           {"dd-one_vuln.json", 1}}) {
      CAPTURE(file);
      auto r = ingest::parse_report(test::corpus(std::string("bandit/") + file));
      REQUIRE(r);
      CHECK(r->steps.at(0).findings.size() == static_cast<std::size_t>(n));
      CHECK(r->steps.at(0).status == model::StepStatus::Passed);
    }
  }

  TEST_CASE("real examples: 417 findings and three unparsable files make the step an error") {
    auto r = ingest::parse_report(test::corpus("bandit/real-examples.json"));
    REQUIRE(r);
    auto& s = r->steps.at(0);
    CHECK(s.findings.size() == 417);
    CHECK(s.status == model::StepStatus::Error);
    REQUIRE(s.errors.size() == 3);
    CHECK(s.errors[0] == "bandit could not scan examples/new_candidates-none.py: syntax error while parsing AST from file");

    auto& first = s.findings.at(0);
    CHECK(first.rule_id == "B101");
    CHECK(first.title.starts_with("Use of assert detected."));
    CHECK(first.severity == model::Severity::Low);
    CHECK(first.tool_severity == "LOW");
    CHECK(first.confidence == "HIGH");
    CHECK(first.location.path == "examples/assert.py");
    CHECK(first.location.line == 1);
    CHECK(first.location.column == 0);  // 1.6.2 has no col_offset
    CHECK(first.location.snippet == "assert True");
    CHECK(first.help_uri == "https://bandit.readthedocs.io/en/latest/plugins/b101_assert_used.html");

    int secrets = 0, multiline = 0;
    for (auto& f : s.findings) {
      if (f.kind == model::Kind::Secret) {
        ++secrets;
        CHECK(f.title == "Possible hardcoded password");
      } else if (f.location.line > 0) {
        CHECK(!f.location.snippet.empty());
      }
      if (f.location.end_line > f.location.line) ++multiline;
    }
    CHECK(secrets > 0);
    CHECK(multiline > 0);
  }

  TEST_CASE("bandit 1.7 fields: col_offset and issue_cwe") {
    auto in = ingest::make_input("new.json", R"({
  "errors": [],
  "generated_at": "2024-01-01T00:00:00Z",
  "metrics": {"_totals": {"loc": 3}},
  "results": [
    {"code": "3 import subprocess\n4 subprocess.call(cmd, shell=True)\n5 \n", "col_offset": 4,
     "end_col_offset": 40, "filename": "./app.py", "issue_confidence": "HIGH",
     "issue_cwe": {"id": 78, "link": "https://cwe.mitre.org/data/definitions/78.html"},
     "issue_severity": "HIGH", "issue_text": "subprocess call with shell=True identified, security issue.",
     "line_number": 4, "line_range": [4, 5], "more_info": "https://bandit.readthedocs.io/en/1.7.5/plugins/b602.html",
     "test_id": "B602", "test_name": "subprocess_popen_with_shell_equals_true"},
    {"code": "9 password = 'hunter2'\n", "col_offset": 11, "filename": "./app.py", "issue_confidence": "MEDIUM",
     "issue_cwe": {"id": 259, "link": "https://cwe.mitre.org/data/definitions/259.html"},
     "issue_severity": "LOW", "issue_text": "Possible hardcoded password: 'hunter2'", "line_number": 9,
     "line_range": [9], "more_info": "", "test_id": "B105", "test_name": "hardcoded_password_string"},
    {"code": "", "filename": "./x.py", "issue_confidence": "UNDEFINED", "issue_cwe": {"id": 0, "link": ""},
     "issue_severity": "UNDEFINED", "issue_text": "t", "line_number": 1, "line_range": [1], "more_info": "",
     "test_id": "B999", "test_name": "custom"}
  ]
})");
    auto r = ingest::parse_input(in);
    REQUIRE(r);
    auto& s = r->steps.at(0);
    REQUIRE(s.findings.size() == 3);
    auto& shell = s.findings[0];
    CHECK(shell.location.column == 5);
    CHECK(shell.location.end_line == 5);
    CHECK(shell.location.snippet == "subprocess.call(cmd, shell=True)");
    CHECK(shell.aliases == std::vector<std::string>{"CWE-78"});
    auto& pw = s.findings[1];
    CHECK(pw.kind == model::Kind::Secret);
    CHECK(pw.location.snippet.empty());
    CHECK(pw.title.find("hunter2") == std::string::npos);
    CHECK(pw.aliases == std::vector<std::string>{"CWE-259"});
    auto& custom = s.findings[2];
    CHECK(custom.severity == model::Severity::Unknown);
    CHECK(custom.aliases.empty());  // CWE 0 is bandit's "not set"
    CHECK(s.status == model::StepStatus::Passed);
  }

  TEST_CASE("bad bandit JSON names the file and position") {
    auto in = ingest::make_input("bad.json", "{\"errors\": [],\n\"results\": [\n {\"filename\": \"a.py\"}\n]}");
    auto r = ingest::parse_bandit_json(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().file == "bad.json");
    CHECK(r.error().line == 3);

    auto shape = ingest::make_input("shape.json", "{\"results\": \"none\"}");
    auto r2 = ingest::parse_bandit_json(shape);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().message.find("results") != std::string::npos);

    auto cut = ingest::make_input("cut.json", "{\"results\": [{\"test_id\": \"B101\", \"filename\": \"a");
    CHECK_FALSE(ingest::parse_bandit_json(cut));
  }
}
