#include <algorithm>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

std::size_t python_count(const std::string& file) {
  auto r = test::run_process({"/usr/bin/python3", "-c",
                              "import json,sys; print(len(json.load(open(sys.argv[1]))['vulnerabilities'] or []))",
                              file});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return std::stoul(r.out);
}

const model::Finding* find(const model::StepResult& s, std::string_view rule, std::string_view pkg) {
  for (auto& f : s.findings)
    if (f.rule_id == rule && f.package.name == pkg) return &f;
  return nullptr;
}

}  // namespace

TEST_SUITE("ingest.gitlab_security") {
  TEST_CASE("trivy gitlab template outputs have the independently counted findings") {
    for (auto name : {"trivy/golden-alpine-310.gitlab.json", "trivy/golden-npm.gitlab.json"}) {
      auto file = test::corpus(name).string();
      INFO(file);
      auto r = ingest::parse_report(file, "gitlab");
      REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
      CHECK(r->format == "gitlab-container-scanning");
      REQUIRE(r->steps.size() == 1);
      auto& s = r->steps[0];
      CHECK(s.name == "trivy");
      CHECK(s.tool == "trivy");
      CHECK(s.tool_version == "dev");
      CHECK(s.findings.size() == python_count(file));
      CHECK(!s.findings.empty());
      for (auto& f : s.findings) {
        CHECK(f.kind == model::Kind::Vulnerability);
        CHECK(!f.rule_id.empty());
        CHECK(!f.package.name.empty());
        CHECK(!f.fingerprint.empty());
      }
    }
  }

  TEST_CASE("fields map like the trivy JSON they came from") {
    auto r = ingest::parse_report(test::corpus("trivy/golden-alpine-310.gitlab.json"));
    REQUIRE(r);
    auto& s = r->steps.at(0);
    auto* f = find(s, "CVE-2019-1549", "libcrypto1.1");
    REQUIRE(f);
    CHECK(f->severity == model::Severity::Medium);
    CHECK(f->tool_severity == "Medium");
    CHECK(f->title == "openssl: information disclosure in fork()");
    CHECK(f->package.version == "1.1.1c-r0");
    CHECK(f->package.fixed_version == "1.1.1d-r0");
    CHECK(f->location.target == "testdata/fixtures/images/alpine-310.tar.gz");
    CHECK(f->help_uri == "https://avd.aquasec.com/nvd/cve-2019-1549");

    // The same vulnerability from trivy's JSON has the same fingerprint: they dedup.
    auto j = ingest::parse_report(test::corpus("trivy/golden-alpine-310.json"));
    REQUIRE(j);
    bool same = false;
    for (auto& x : j->steps.at(0).findings)
      if (x.rule_id == f->rule_id && x.package.name == f->package.name) same = x.fingerprint == f->fingerprint;
    CHECK(same);
  }

  TEST_CASE("older per-vulnerability scanner and unknown scanners and no solution") {
    auto in = ingest::make_input("cs.json", R"({"version":"14.0.6","vulnerabilities":[
      {"id":"CVE-2020-1","category":"container_scanning","message":"bad thing","description":"d",
       "cve":"CVE-2020-1","severity":"Critical","confidence":"Unknown","solution":"No solution provided",
       "scanner":{"id":"trivy","name":"trivy"},
       "location":{"dependency":{"package":{"name":"zlib"},"version":"1.2"},"image":"img:1"},
       "identifiers":[{"type":"cve","name":"CVE-2020-1","value":"CVE-2020-1"}],"links":[]}],
      "remediations":[]})");
    auto r = ingest::parse_gitlab_security_json(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    auto& s = r->steps.at(0);
    CHECK(s.name == "trivy");
    REQUIRE(s.findings.size() == 1);
    auto& f = s.findings[0];
    CHECK(f.title == "bad thing");
    CHECK(f.severity == model::Severity::Critical);
    CHECK(f.package.fixed_version.empty());
    CHECK(f.aliases.empty());

    auto other = ingest::make_input("o.json", R"({"scan":{"scanner":{"id":"clair","name":"Clair"},"type":"container_scanning"},
      "version":"15.0.7","vulnerabilities":[{"id":"6f3b","severity":"Info","location":{},
      "identifiers":[{"type":"gemnasium","name":"G-1","value":"G-1"},{"type":"cwe","name":"CWE-79","value":"79"},
      {"type":"cve","name":"CVE-2021-2","value":"CVE-2021-2","url":"https://x/CVE-2021-2"}]}]})");
    auto o = ingest::parse_gitlab_security_json(other);
    REQUIRE(o);
    CHECK(o->steps.at(0).name == "container-scanning");
    CHECK(o->steps.at(0).tool == "clair");
    auto& g = o->steps.at(0).findings.at(0);
    CHECK(g.rule_id == "CVE-2021-2");
    CHECK(g.aliases == std::vector<std::string>{"G-1"});
    CHECK(g.severity == model::Severity::Info);
    CHECK(g.help_uri == "https://x/CVE-2021-2");
  }

  TEST_CASE("gitlab report errors name the position") {
    auto in = ingest::make_input("bad.json", "{\"version\":\"15.0.7\",\n\"vulnerabilities\":{}}");
    auto r = ingest::parse_gitlab_security_json(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
    auto no_id = ingest::make_input("bad.json", "{\"vulnerabilities\":[\n {\"severity\":\"High\"}]}");
    auto n = ingest::parse_gitlab_security_json(no_id);
    REQUIRE_FALSE(n);
    CHECK(n.error().line == 2);
  }
}
