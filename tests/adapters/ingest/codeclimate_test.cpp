#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

std::size_t python_count(const std::string& file) {
  auto r = test::run_process({"/usr/bin/python3", "-c",
                              "import json,sys; d=json.load(open(sys.argv[1]));"
                              "print(sum(1 for i in d if str(i.get('type','issue')).lower()=='issue'))",
                              file});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return std::stoul(r.out);
}

std::size_t total(const ingest::ParsedReport& r) {
  std::size_t n = 0;
  for (auto& s : r.steps) n += s.findings.size();
  return n;
}

}  // namespace

TEST_SUITE("ingest.codeclimate") {
  TEST_CASE("GitLab code quality fixture: lines and positions and engines") {
    auto file = test::corpus("schemas/gitlab-codequality-example-codeclimate.json").string();
    auto r = ingest::parse_report(file, "codeclimate");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->format == "codeclimate");
    CHECK(total(*r) == python_count(file));
    REQUIRE(r->steps.size() == 2);
    CHECK(r->steps[0].name == "structure");
    CHECK(r->steps[1].name == "rubocop");
    auto& a = r->steps[0].findings.at(0);
    CHECK(a.tool == "structure");
    CHECK(a.rule_id == "argument_count");
    CHECK(a.title == "Method `new_array` has 12 arguments (exceeds 4 allowed). Consider refactoring.");
    CHECK(a.fingerprint == "15cdb5c53afd42bc22f8ca366a08d547");
    CHECK(a.location.path == "foo.rb");
    CHECK(a.location.line == 10);
    CHECK(a.location.end_line == 10);
    CHECK(a.severity == model::Severity::High);
    CHECK(a.tool_severity == "major");
    CHECK(a.kind == model::Kind::Lint);
    auto& b = r->steps[1].findings.at(0);
    CHECK(b.rule_id == "Rubocop/Metrics/ParameterLists");
    CHECK(b.location.line == 14);
    CHECK(b.location.column == 24);
    CHECK(b.location.end_line == 14);
    CHECK(b.severity == model::Severity::Medium);
    CHECK(b.message.starts_with("This cop checks"));
    CHECK(b.fingerprint == "ab5f8b935886b942d621399f5a2ca16e");
  }

  TEST_CASE("trivy codequality template output with CRLF unpacks vulnerabilities") {
    auto file = test::corpus("trivy/golden-alpine-310.gitlab-codequality.json").string();
    auto r = ingest::parse_report(file, "codeclimate");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    REQUIRE(r->steps.size() == 1);
    auto& s = r->steps[0];
    CHECK(s.name == "codequality");
    CHECK(s.findings.size() == python_count(file));
    auto& f = s.findings.at(0);
    CHECK(f.kind == model::Kind::Vulnerability);
    CHECK(f.rule_id == "CVE-2019-1549");
    CHECK(f.package.name == "libcrypto1.1");
    CHECK(f.package.version == "1.1.1c-r0");
    CHECK(f.title == "openssl: information disclosure in fork()");
    CHECK(f.location.target == "testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)");
    CHECK(f.location.path.empty());
    CHECK(f.fingerprint == "aeda1fbbe0e7f685887445359f8078c98eafd6de");
    CHECK(f.severity == model::Severity::Medium);
    CHECK(f.message.starts_with("OpenSSL 1.1.1"));
  }

  TEST_CASE("non-issue types are skipped and missing fingerprints are computed") {
    auto in = ingest::make_input("cq.json", R"([
      {"type":"measurement","name":"x","value":1},
      {"type":"issue","check_name":"container_scanning","description":"DS002: Image user should not be 'root'",
       "severity":"major","location":{"path":"Dockerfile","lines":{"begin":3}}},
      {"check_name":"bandit.B105","description":"Possible hardcoded password","categories":["Security"],
       "severity":"blocker","location":{"path":"app.py","positions":{"begin":{"offset":10},"end":{"offset":20}}}}])");
    auto r = ingest::parse_codeclimate_json(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    REQUIRE(total(*r) == 2);
    auto& m = r->steps.at(0).findings.at(0);
    CHECK(m.kind == model::Kind::Misconfiguration);
    CHECK(m.rule_id == "DS002");
    CHECK(m.location.line == 3);
    auto& c = r->steps.at(0).findings.at(1);
    CHECK(c.kind == model::Kind::Code);
    CHECK(c.severity == model::Severity::Critical);
    CHECK(c.location.line == 0);
    CHECK(!c.fingerprint.empty());
  }

  TEST_CASE("codeclimate errors name the position") {
    auto in = ingest::make_input("bad.json", "[\n {\"type\":\"issue\",\"location\":[]}]");
    auto r = ingest::parse_codeclimate_json(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
    auto empty = ingest::make_input("empty.json", "[]");
    auto e = ingest::parse_codeclimate_json(empty);
    REQUIRE(e);
    CHECK(total(*e) == 0);
  }
}
