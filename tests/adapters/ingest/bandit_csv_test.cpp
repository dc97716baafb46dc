#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/adapters/ingest/bandit_support.hpp"

using namespace dg;

TEST_SUITE("ingest.bandit_csv") {
  TEST_CASE("real examples CSV: python's csv module count and the JSON's rule ids") {
    auto path = test::corpus("bandit/real-examples.csv");
    auto r = ingest::parse_report(path, "bandit");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(r->format == "bandit-csv");
    auto& s = r->steps.at(0);
    test::bandit::check_common(s);
    CHECK(std::to_string(s.findings.size()) ==
          test::bandit::python("import csv,sys\nprint(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=''))))", path));
    CHECK(s.findings.size() == 417);
    // The CSV lists no skipped files: it cannot tell that three files were not scanned.
    CHECK(s.errors.empty());
    CHECK(test::bandit::rule_ids(s) == test::bandit::json_rule_ids(test::corpus("bandit/real-examples.json")));

    auto json = ingest::parse_report(test::corpus("bandit/real-examples.json"));
    REQUIRE(json);
    auto& js = json->steps.at(0);
    for (std::size_t i = 0; i < s.findings.size(); ++i) {
      CAPTURE(i);
      auto& c = s.findings[i];
      auto& j = js.findings[i];
      CHECK(c.location.path == j.location.path);
      CHECK(c.location.line == j.location.line);
      CHECK(c.location.end_line == j.location.end_line);
      CHECK(c.title == j.title);
      CHECK(c.severity == j.severity);
      CHECK(c.confidence == j.confidence);
      CHECK(c.help_uri == j.help_uri);
      CHECK(c.location.snippet.empty());  // the CSV has no code
    }
  }

  TEST_CASE("bandit 1.7 columns: issue_cwe link and col_offset and quoted text with newlines and quotes") {
    auto in = ingest::make_input(
        "new.csv",
        "filename,test_name,test_id,issue_severity,issue_confidence,issue_cwe,issue_text,line_number,col_offset,"
        "end_col_offset,line_range,more_info\r\n"
        "./app.py,subprocess_popen_with_shell_equals_true,B602,HIGH,HIGH,https://cwe.mitre.org/data/definitions/78.html,"
        "\"shell=True, \"\"quoted\"\"\nsecond line\",12,4,40,\"[12, 13]\",https://bandit.readthedocs.io/b602.html\r\n"
        "./app.py,hardcoded_password_string,B105,LOW,MEDIUM,https://cwe.mitre.org/data/definitions/259.html,"
        "\"Possible hardcoded password: 'x,y'\",3,11,20,[3],\r\n");
    auto r = ingest::parse_input(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& s = r->steps.at(0);
    REQUIRE(s.findings.size() == 2);
    auto& a = s.findings[0];
    CHECK(a.rule_id == "B602");
    CHECK(a.title == "shell=True, \"quoted\"\nsecond line");
    CHECK(a.location.line == 12);
    CHECK(a.location.column == 5);
    CHECK(a.location.end_line == 13);
    CHECK(a.aliases == std::vector<std::string>{"CWE-78"});
    CHECK(a.help_uri == "https://bandit.readthedocs.io/b602.html");
    auto& b = s.findings[1];
    CHECK(b.kind == model::Kind::Secret);
    CHECK(b.title == "Possible hardcoded password");
  }

  TEST_CASE("columns are found by name in any order and LF line ends work") {
    auto in = ingest::make_input("reordered.csv",
                                 "line_number,test_id,filename,issue_text\n7,B101,a.py,assert\n\n8,B102,b.py,exec\n");
    auto r = ingest::parse_bandit_csv(in);
    REQUIRE(r);
    auto& f = r->steps.at(0).findings;
    REQUIRE(f.size() == 2);
    CHECK(f[1].rule_id == "B102");
    CHECK(f[1].location.path == "b.py");
    CHECK(f[1].location.line == 8);
    CHECK(f[1].severity == model::Severity::Unknown);
  }

  TEST_CASE("a CSV with a header that is not bandit's names the file and line 1") {
    auto in = ingest::make_input("other.csv", "name,age\r\nbob,3\r\n");
    auto r = ingest::parse_bandit_csv(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().file == "other.csv");
    CHECK(r.error().line == 1);
    CHECK(r.error().message.find("header") != std::string::npos);
  }

  TEST_CASE("a truncated row names its line") {
    auto in = ingest::make_input("cut.csv",
                                 "filename,test_name,test_id,issue_severity,issue_confidence,issue_text,line_number,"
                                 "line_range,more_info\r\n"
                                 "a.py,assert_used,B101,LOW,HIGH,\"multi\nline\",1,[1],u\r\n"
                                 "a.py,assert_used,B101,LOW\r\n");
    auto r = ingest::parse_bandit_csv(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 4);
    CHECK(r.error().message.find("truncated") != std::string::npos);

    auto open = ingest::make_input("open.csv", "filename,test_id,line_number\r\na.py,B101,\"1\r\n");
    auto r2 = ingest::parse_bandit_csv(open);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().line == 2);
    CHECK(r2.error().message.find("not closed") != std::string::npos);

    auto nan = ingest::make_input("nan.csv", "filename,test_id,line_number\r\na.py,B101,one\r\n");
    auto r3 = ingest::parse_bandit_csv(nan);
    REQUIRE_FALSE(r3);
    CHECK(r3.error().line == 2);
  }

  TEST_CASE("a header-only CSV is a clean bandit step") {
    auto in = ingest::make_input("empty.csv",
                                 "filename,test_name,test_id,issue_severity,issue_confidence,issue_text,line_number,"
                                 "line_range,more_info\r\n");
    auto r = ingest::parse_input(in);
    REQUIRE(r);
    CHECK(r->steps.at(0).findings.empty());
    CHECK(r->steps.at(0).status == model::StepStatus::Passed);
  }
}
