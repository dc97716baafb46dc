#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

// As PyYAML writes it for bandit 1.6.2: sorted keys, a folded issue_text, an aliased line_range.
const char* kReport = R"(errors:
- filename: ./broken.py
  reason: syntax error while parsing AST from file
generated_at: '2026-11-23T18:42:37Z'
metrics:
  _totals:
    loc: 5
    nosec: 0
results:
- code: 2 password = "hunter2"\n3 subprocess.call("ls", shell=True)\n
  filename: ./a.py
  issue_confidence: HIGH
  issue_severity: LOW
  issue_text: subprocess call with shell=True seems safe, but may be changed in the
    future, consider rewriting without shell
  line_number: 3
  line_range: &id001
  - 3
  - 4
  more_info: https://bandit.readthedocs.io/en/latest/plugins/b602_subprocess_popen_with_shell_equals_true.html
  test_id: B602
  test_name: subprocess_popen_with_shell_equals_true
- filename: ./a.py
  issue_confidence: MEDIUM
  issue_severity: HIGH
  issue_text: Use of insecure MD5 hash function.
  line_number: 3
  line_range: *id001
  test_id: B303
  test_name: blacklist
)";

util::Error parse_error(const std::string& text) {
  auto in = ingest::make_input("bandit.yaml", text);
  auto r = ingest::parse_bandit_yaml(in);
  REQUIRE_FALSE(r);
  return r.error();
}

}  // namespace

TEST_SUITE("ingest.bandit_yaml") {
  TEST_CASE("a bandit YAML report is recognized and read with aliases and folded text") {
    auto in = ingest::make_input("bandit.yaml", kReport);
    auto fmt = ingest::sniff(in);
    REQUIRE_MESSAGE(fmt, (fmt ? "" : fmt.error().to_string()));
    CHECK(fmt->variant == "bandit-yaml");
    auto r = ingest::parse_bandit_yaml(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    REQUIRE(r->steps.size() == 1);
    auto& s = r->steps[0];
    REQUIRE(s.findings.size() == 2);
    CHECK(s.findings[0].rule_id == "B602");
    CHECK(s.findings[0].title.find("may be changed in the future") != std::string::npos);
    // bandit writes the excerpt's newlines as the two characters \n; the snippet is the flagged line.
    CHECK(s.findings[0].location.snippet == "subprocess.call(\"ls\", shell=True)");
    CHECK(s.findings[0].location.end_line == 4);
    CHECK(s.findings[1].location.end_line == 4);  // through the alias
    CHECK(s.findings[1].severity == model::Severity::High);
    // The file bandit could not parse makes the step an error, as with -f json.
    REQUIRE(s.errors.size() == 1);
    CHECK(s.status == model::StepStatus::Error);
  }

  TEST_CASE("an empty results list is a clean bandit step") {
    auto in = ingest::make_input("b.yaml", "errors: []\ngenerated_at: '2026-11-23T00:00:00Z'\nmetrics: {}\nresults: []\n");
    auto r = ingest::parse_input(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    REQUIRE(r->steps.size() == 1);
    CHECK(r->steps[0].findings.empty());
    CHECK(r->steps[0].errors.empty());
  }

  TEST_CASE("truncated YAML is an input error at a line") {
    std::string text = kReport;
    auto e = parse_error(text.substr(0, text.find("line_range: *id001") + 14));
    CHECK(e.kind == util::ErrorKind::Input);
    CHECK(e.file == "bandit.yaml");
    CHECK(e.line > 0);
  }

  TEST_CASE("wrong shapes name the line of the bad node") {
    auto e = parse_error("errors: []\ngenerated_at: x\nresults:\n- filename: a.py\n  test_id: B101\n  line_number: three\n");
    CHECK(e.line == 6);
    CHECK(e.message.find("line_number") != std::string::npos);
    e = parse_error("errors: []\ngenerated_at: x\nresults: {a: 1}\n");
    CHECK(e.line == 3);
    CHECK(e.message.find("results") != std::string::npos);
    e = parse_error("errors: []\ngenerated_at: x\nresults:\n- filename: a.py\n");
    CHECK(e.message.find("test_id") != std::string::npos);
    e = parse_error("errors: []\ngenerated_at: x\n");
    CHECK(e.message.find("no \"results\"") != std::string::npos);
    e = parse_error("- just\n- a list\n");
    CHECK(e.message.find("not a mapping") != std::string::npos);
  }

  TEST_CASE("deep nesting and a huge report end in a result or an error and never a crash") {
    std::string deep = "errors: []\ngenerated_at: x\nresults: " + std::string(200000, '[');
    auto in = ingest::make_input("deep.yaml", deep);
    auto r = ingest::parse_bandit_yaml(in);
    REQUIRE_FALSE(r);
    // yaml-cpp's own message for its depth limit is "bad file".
    CHECK_MESSAGE(r.error().message.find("YAML nested deeper than 500 levels") != std::string::npos, r.error().message);

    std::string big = "errors: []\ngenerated_at: x\nresults:\n";
    for (int i = 0; i < 20000; ++i)
      big += "- filename: ./f" + std::to_string(i) + ".py\n  issue_severity: LOW\n  issue_confidence: HIGH\n"
             "  issue_text: Use of assert detected.\n  line_number: 1\n  line_range: [1]\n  test_id: B101\n"
             "  test_name: assert_used\n";
    auto huge = ingest::make_input("huge.yaml", big);
    auto h = ingest::parse_bandit_yaml(huge);
    REQUIRE_MESSAGE(h, (h ? "" : h.error().to_string()));
    CHECK(h->steps[0].findings.size() == 20000);
  }

  TEST_CASE("aliases that repeat a big anchor are bounded by the size of the file") {
    // Issue 16 (linear memory on every input): each alias was copied into a finding in full.
    std::string y = "errors: []\ngenerated_at: '2026-11-23T00:00:00Z'\nmetrics: {}\nresults:\n"
                    "- filename: ./a.py\n  test_id: B101\n  issue_severity: LOW\n  issue_confidence: HIGH\n"
                    "  line_number: 1\n  issue_text: &big '" + std::string(100000, 'a') + "'\n";
    for (int i = 2; i <= 200; ++i)
      y += "- filename: ./a.py\n  test_id: B101\n  issue_severity: LOW\n  issue_confidence: HIGH\n  line_number: " +
           std::to_string(i) + "\n  issue_text: *big\n";
    auto in = ingest::make_input("bomb.yaml", y);
    auto r = ingest::parse_input(in);
    REQUIRE_FALSE(r);
    CHECK_MESSAGE(r.error().message.find("aliases repeat more text than 4 times the file holds") != std::string::npos,
                  r.error().message);
    // The aliased line_range lists PyYAML writes stay fine (the report above parses).
    auto ok = ingest::make_input("bandit.yaml", kReport);
    CHECK(ingest::parse_input(ok));
  }
}
