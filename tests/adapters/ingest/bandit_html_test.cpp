#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/adapters/ingest/bandit_support.hpp"

using namespace dg;

TEST_SUITE("ingest.bandit_html") {
  TEST_CASE("real examples HTML: python's block count and the JSON's rule ids and fields") {
    auto path = test::corpus("bandit/real-examples.html");
    auto r = ingest::parse_report(path, "bandit");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(r->format == "bandit-html");
    auto& s = r->steps.at(0);
    test::bandit::check_common(s);
    CHECK(std::to_string(s.findings.size()) + " " + std::to_string(s.errors.size()) ==
          test::bandit::python("import sys,re\nt=open(sys.argv[1]).read()\n"
                               "print(len(re.findall(r'<div id=\"issue-\\d+\">', t)), t.count('<b>reason:</b>'))",
                               path));
    CHECK(s.findings.size() == 417);
    REQUIRE(s.errors.size() == 3);
    CHECK(s.status == model::StepStatus::Error);
    CHECK(s.errors[1] == "bandit could not scan examples/nonsense.py: syntax error while parsing AST from file");
    CHECK(test::bandit::rule_ids(s) == test::bandit::json_rule_ids(test::corpus("bandit/real-examples.json")));

    auto json = ingest::parse_report(test::corpus("bandit/real-examples.json"));
    REQUIRE(json);
    auto& js = json->steps.at(0);
    // bandit 1.6.2's page has no line number: it is inferred from the code excerpt, exact except
    // at the top of a file where the excerpt starts at line 1 for both line 1 and 2.
    std::size_t same_line = 0, same_snippet = 0;
    for (std::size_t i = 0; i < s.findings.size(); ++i) {
      CAPTURE(i);
      auto& h = s.findings[i];
      auto& j = js.findings[i];
      CHECK(h.location.path == j.location.path);
      CHECK(h.title == j.title);
      CHECK(h.tool_severity == j.tool_severity);
      CHECK(h.confidence == j.confidence);
      CHECK(h.help_uri == j.help_uri);
      same_line += h.location.line == j.location.line;
      same_snippet += h.location.snippet == j.location.snippet;
    }
    CHECK(same_line >= s.findings.size() * 95 / 100);
    CHECK(same_snippet >= s.findings.size() * 95 / 100);
  }

  TEST_CASE("newer HTML: line number and CWE are read and escaped code is decoded") {
    auto in = ingest::make_input("new.html", R"(<!DOCTYPE html>
<html><head><title>Bandit Report</title></head><body>
<div id="results">
<div id="issue-0">
<div class="issue-block issue-sev-medium">
    <b>exec_used: </b> Use of exec detected.<br>
    <b>Test ID:</b> B102<br>
    <b>Severity: </b>MEDIUM<br>
    <b>Confidence: </b>HIGH<br>
    <b>CWE: </b><a href="https://cwe.mitre.org/data/definitions/78.html" target="_blank">CWE-78</a><br>
    <b>File: </b><a href="./a &amp; b.py" target="_blank">./a &amp; b.py</a><br>
    <b>Line number: </b>20<br>
    <b>More info: </b><a href="https://bandit.readthedocs.io/b102.html" target="_blank">https://bandit.readthedocs.io/b102.html</a><br>

<div class="code">
<pre>
19	x = 1
20	exec(&quot;a &lt; b&quot;)
21	y = 2
</pre>
</div>

</div>
</div>
</div>
</body></html>)");
    auto r = ingest::parse_input(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& s = r->steps.at(0);
    REQUIRE(s.findings.size() == 1);
    auto& f = s.findings[0];
    CHECK(f.rule_id == "B102");
    CHECK(f.location.line == 20);
    CHECK(f.location.path == "./a & b.py");
    CHECK(f.location.snippet == "exec(\"a < b\")");
    CHECK(f.aliases == std::vector<std::string>{"CWE-78"});
    CHECK(f.title == "Use of exec detected.");
    CHECK(s.errors.empty());
  }

  TEST_CASE("an HTML page without bandit results is an input error") {
    auto in = ingest::make_input("page.html", "<html><body><p>bandit</p></body></html>");
    auto r = ingest::parse_bandit_html(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().file == "page.html");

    auto cut = ingest::make_input("cut.html", "<div id=\"results\">\n<div id=\"issue-0\">\n<div class=\"issue-block\">\n");
    auto r2 = ingest::parse_bandit_html(cut);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().line == 2);
  }
}
