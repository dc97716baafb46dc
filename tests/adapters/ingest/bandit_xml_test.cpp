#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/adapters/ingest/bandit_support.hpp"

using namespace dg;

TEST_SUITE("ingest.bandit_xml") {
  TEST_CASE("bandit 1.6.2 XML of the sample app: python's testcase count and the fields") {
    auto path = test::data("bandit/sample_app-1.6.2.xml");
    auto r = ingest::parse_report(path, "bandit");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(r->format == "bandit-xml");
    auto& s = r->steps.at(0);
    test::bandit::check_common(s);
    CHECK(std::to_string(s.findings.size()) ==
          test::bandit::python("import sys,xml.etree.ElementTree as ET\n"
                               "print(len(ET.parse(sys.argv[1]).getroot().findall('testcase/error')))",
                               path));
    CHECK(s.findings.size() == 11);
    CHECK(s.errors.empty());  // XML does not list skipped files
    auto& shell = s.findings.at(2);
    CHECK(shell.rule_id == "B602");
    CHECK(shell.location.path == "sample_app/app.py");
    CHECK(shell.location.line == 12);
    CHECK(shell.severity == model::Severity::High);
    CHECK(shell.confidence == "HIGH");
    CHECK(shell.title == "subprocess call with shell=True identified, security issue.");
    CHECK(shell.help_uri.find("b602") != std::string::npos);
    for (auto& f : s.findings)
      if (f.kind == model::Kind::Secret) CHECK(f.title == "Possible hardcoded password");
  }

  TEST_CASE("newer XML with a CWE line and older XML without Test ID") {
    auto in = ingest::make_input("new.xml", R"(<?xml version='1.0' encoding='utf-8'?>
<testsuite name="bandit" tests="2"><testcase classname="./a.py" name="exec_used"><error more_info="https://x/b102.html" type="MEDIUM" message="Use of exec detected.">Test ID: B102 Severity: MEDIUM Confidence: HIGH
CWE: CWE-78 (https://cwe.mitre.org/data/definitions/78.html)
Use of exec detected.
Location ./a.py:7</error></testcase><testcase classname="examples/yaml_load.py" name="blacklist_calls"><error message="Use of unsafe yaml load." type="MEDIUM">Severity: MEDIUM Confidence: HIGH Use of unsafe yaml load.

Location examples/yaml_load.py:5</error></testcase></testsuite>)");
    auto r = ingest::parse_input(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& f = r->steps.at(0).findings;
    REQUIRE(f.size() == 2);
    CHECK(f[0].rule_id == "B102");
    CHECK(f[0].aliases == std::vector<std::string>{"CWE-78"});
    CHECK(f[0].location.line == 7);
    CHECK(f[1].rule_id == "blacklist_calls");  // no Test ID before bandit 1.5
    CHECK(f[1].location.line == 5);
    CHECK(f[1].confidence == "HIGH");
  }

  TEST_CASE("a clean run with the NO-ISSUES testcase has no findings") {
    auto in = ingest::make_input("clean.xml", R"(<?xml version='1.0' encoding='utf-8'?>
<testsuite name="bandit" tests="1"><testcase name="NO-ISSUES"><skipped message="No issues found." /></testcase></testsuite>)");
    auto r = ingest::parse_input(in);
    REQUIRE(r);
    CHECK(r->steps.at(0).findings.empty());
  }

  TEST_CASE("XML that is not a bandit report is an input error") {
    auto junit = ingest::make_input("junit.xml", R"(<testsuite name="pytest" tests="1"><testcase classname="t" name="x"/></testsuite>)");
    auto r = ingest::parse_bandit_xml(junit);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().file == "junit.xml");
    CHECK(r.error().message.find("pytest") != std::string::npos);

    auto other = ingest::make_input("other.xml", "<project><x/></project>");
    auto r2 = ingest::parse_bandit_xml(other);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().message.find("project") != std::string::npos);

    auto broken = ingest::make_input("broken.xml", "<testsuite name=\"bandit\">\n<testcase classname=\"a\" name=\"b\">\n<error");
    auto r3 = ingest::parse_bandit_xml(broken);
    REQUIRE_FALSE(r3);
    CHECK(r3.error().line >= 3);
  }

  TEST_CASE("a DOCTYPE with entities is never expanded") {
    auto in = ingest::make_input("xxe.xml", R"(<?xml version="1.0"?>
<!DOCTYPE testsuite [
  <!ENTITY big "EXPANDED-EXPANDED-EXPANDED">
  <!ENTITY ext SYSTEM "file:///etc/hostname">
]>
<testsuite name="bandit" tests="1"><testcase classname="a.py" name="exec_used"><error type="LOW" message="m &big; &ext;">Test ID: B102 Severity: LOW Confidence: LOW
m
Location a.py:1</error></testcase></testsuite>)");
    auto r = ingest::parse_bandit_xml(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& f = r->steps.at(0).findings.at(0);
    CHECK(f.title.find("EXPANDED") == std::string::npos);
    CHECK(f.title == "m &big; &ext;");
  }
}
