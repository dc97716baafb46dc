#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/adapters/ingest/bandit_support.hpp"

using namespace dg;

TEST_SUITE("ingest.bandit_txt") {
  TEST_CASE("real examples txt: issue and skipped-file counts from python and the JSON's fields") {
    auto path = test::corpus("bandit/real-examples.txt");
    auto r = ingest::parse_report(path, "bandit");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(r->format == "bandit-txt");
    auto& s = r->steps.at(0);
    test::bandit::check_common(s);
    CHECK(std::to_string(s.findings.size()) + " " + std::to_string(s.errors.size()) ==
          test::bandit::python("import sys,re\nt=open(sys.argv[1]).read()\n"
                               "skipped=t.split('Files skipped (')[1].split('\\n')[1:]\n"
                               "print(len(re.findall(r'^>> Issue: ', t, re.M)), sum(1 for l in skipped if l.startswith('\\t')))",
                               path));
    CHECK(s.findings.size() == 417);
    REQUIRE(s.errors.size() == 3);
    CHECK(s.status == model::StepStatus::Error);
    CHECK(s.errors[2] == "bandit could not scan examples/nonsense2.py: syntax error while parsing AST from file");

    auto json = ingest::parse_report(test::corpus("bandit/real-examples.json"));
    REQUIRE(json);
    auto& js = json->steps.at(0);
    REQUIRE(js.findings.size() == s.findings.size());
    for (std::size_t i = 0; i < s.findings.size(); ++i) {
      CAPTURE(i);
      auto& t = s.findings[i];
      auto& j = js.findings[i];
      CHECK(t.rule_id == j.rule_id);
      CHECK(t.location.path == j.location.path);
      CHECK(t.location.line == j.location.line);
      CHECK(t.title == j.title);
      CHECK(t.tool_severity == j.tool_severity);
      CHECK(t.confidence == j.confidence);
      CHECK(t.help_uri == j.help_uri);
      CHECK(t.location.snippet == j.location.snippet);
      CHECK(t.fingerprint == j.fingerprint);
    }
  }

  TEST_CASE("screen output: colors are stripped and the skipped file is an error") {
    auto path = test::data("bandit/sample_app-1.6.2.screen.txt");
    auto r = ingest::parse_report(path, "bandit");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& s = r->steps.at(0);
    test::bandit::check_common(s);
    CHECK(s.findings.size() == 11);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0] == "bandit could not scan sample_app/broken.py: syntax error while parsing AST from file");
    auto& shell = s.findings.at(2);
    CHECK(shell.rule_id == "B602");
    CHECK(shell.severity == model::Severity::High);
    CHECK(shell.help_uri.find('\x1b') == std::string::npos);
    CHECK(shell.location.snippet == "return subprocess.call(cmd, shell=True)");
  }

  TEST_CASE("bandit 1.7 text: CWE line and line:col location in any order") {
    auto in = ingest::make_input("new.txt", "Run started:2024-01-01 00:00:00.000000\n\nTest results:\n"
                                            ">> Issue: [B602:subprocess_popen_with_shell_equals_true] subprocess call with shell=True\n"
                                            "   Severity: High   Confidence: High\n"
                                            "   CWE: CWE-78 (https://cwe.mitre.org/data/definitions/78.html)\n"
                                            "   More Info: https://bandit.readthedocs.io/en/1.7.5/plugins/b602.html\n"
                                            "   Location: ./my:app.py:12:4\n"
                                            "11\tdef run(cmd):\n12\t    subprocess.call(cmd, shell=True)\n13\t\n\n"
                                            "--------------------------------------------------\n\n"
                                            "Code scanned:\n\tTotal lines of code: 3\n\nRun metrics:\n"
                                            "Files skipped (0):\n");
    auto r = ingest::parse_input(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& s = r->steps.at(0);
    REQUIRE(s.findings.size() == 1);
    auto& f = s.findings[0];
    CHECK(f.location.path == "./my:app.py");
    CHECK(f.location.line == 12);
    CHECK(f.location.column == 5);
    CHECK(f.aliases == std::vector<std::string>{"CWE-78"});
    CHECK(f.location.snippet == "subprocess.call(cmd, shell=True)");
    CHECK(s.errors.empty());
    CHECK(s.status == model::StepStatus::Passed);
  }

  TEST_CASE("no issues identified is a clean step and garbage is an error") {
    auto clean = ingest::make_input("clean.txt", "Run started:x\n\nTest results:\n\tNo issues identified.\n\nCode scanned:\n"
                                                 "Files skipped (0):\n");
    auto r = ingest::parse_input(clean);
    REQUIRE(r);
    CHECK(r->steps.at(0).findings.empty());

    auto bad = ingest::make_input("bad.txt", "Test results:\n>> Issue: no brackets here\n");
    auto r2 = ingest::parse_bandit_txt(bad);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().line == 2);
    CHECK(r2.error().file == "bad.txt");

    auto other = ingest::make_input("other.txt", "hello\n");
    CHECK_FALSE(ingest::parse_bandit_txt(other));
  }
}
