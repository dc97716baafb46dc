#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("ingest.asff") {
  TEST_CASE("trivy asff template output has the independently counted findings") {
    auto file = test::corpus("trivy/golden-alpine-310.asff.json").string();
    auto py = test::run_process({"/usr/bin/python3", "-c",
                                 "import json,sys; d=json.load(open(sys.argv[1]));"
                                 "print(sum(1 for f in d['Findings'] if f.get('RecordState')!='ARCHIVED'))",
                                 file});
    REQUIRE_MESSAGE(py.code == 0, py.err);
    auto r = ingest::parse_report(file, "asff");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->format == "asff");
    REQUIRE(r->steps.size() == 1);
    auto& s = r->steps[0];
    CHECK(s.name == "trivy");
    CHECK(s.tool == "trivy");
    CHECK(s.findings.size() == std::stoul(py.out));

    const model::Finding* f = nullptr;
    for (auto& x : s.findings)
      if (x.rule_id == "CVE-2019-1549" && x.package.name == "libcrypto1.1") f = &x;
    REQUIRE(f);
    CHECK(f->kind == model::Kind::Vulnerability);
    CHECK(f->severity == model::Severity::Medium);
    CHECK(f->title == "openssl: information disclosure in fork()");
    CHECK(f->package.name == "libcrypto1.1");
    CHECK(f->package.version == "1.1.1c-r0");
    CHECK(f->package.fixed_version == "1.1.1d-r0");
    CHECK(f->location.target == "testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)");
    CHECK(f->help_uri == "https://avd.aquasec.com/nvd/cve-2019-1549");
    CHECK(!f->fingerprint.empty());
  }

  TEST_CASE("misconfigurations and secrets from the current template and archived findings") {
    auto in = ingest::make_input("a.json", R"({"Findings":[
      {"SchemaVersion":"2018-10-08","Id":"Dockerfile/DS002","GeneratorId":"Trivy/DS002",
       "Types":["Software and Configuration Checks"],"Severity":{"Label":"HIGH"},
       "Title":"Trivy found a misconfiguration in Dockerfile: Image user should not be 'root'",
       "Description":"Running as root","Remediation":{"Recommendation":{"Text":"Add USER","Url":"https://avd.aquasec.com/misconfig/ds002"}},
       "ProductFields":{"Product Name":"Trivy"},
       "Resources":[{"Type":"Other","Id":"Dockerfile","Details":{"Other":{"Message":"Specify USER","Filename":"Dockerfile","StartLine":"3","EndLine":"4"}}}],
       "RecordState":"ACTIVE"},
      {"Id":"deploy.sh","GeneratorId":"Trivy","Types":["Sensitive Data Identifications"],"Severity":{"Label":"CRITICAL"},
       "Title":"Trivy found a secret in deploy.sh: AWS Access Key ID","Description":"Trivy found a secret in deploy.sh: AWS Access Key ID",
       "ProductFields":{"Product Name":"Trivy"},"Resources":[{"Type":"Other","Id":"deploy.sh","Details":{"Other":{"Filename":"deploy.sh"}}}],
       "RecordState":"ACTIVE"},
      {"Id":"x/CVE-1","GeneratorId":"Trivy/CVE-1","Types":["Software and Configuration Checks/Vulnerabilities/CVE"],
       "Severity":{"Label":"LOW"},"Title":"t","RecordState":"ARCHIVED"}]})");
    auto r = ingest::parse_asff_json(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    auto& s = r->steps.at(0);
    REQUIRE(s.findings.size() == 2);
    auto& m = s.findings[0];
    CHECK(m.kind == model::Kind::Misconfiguration);
    CHECK(m.rule_id == "DS002");
    CHECK(m.title == "Image user should not be 'root'");
    CHECK(m.message == "Specify USER");
    CHECK(m.location.path == "Dockerfile");
    CHECK(m.location.line == 3);
    CHECK(m.location.end_line == 4);
    CHECK(m.severity == model::Severity::High);
    auto& sec = s.findings[1];
    CHECK(sec.kind == model::Kind::Secret);
    CHECK(sec.title == "AWS Access Key ID");
    CHECK(sec.location.path == "deploy.sh");
    CHECK(sec.severity == model::Severity::Critical);
  }

  TEST_CASE("old array template with normalized severity and native ASFF vulnerabilities") {
    auto in = ingest::make_input("old.json", R"([
      {"Id":"img/CVE-2019-1","GeneratorId":"Trivy","ProductArn":"arn:aws:securityhub:r::product/aquasecurity/aquasecurity",
       "Types":["Software and Configuration Checks/Vulnerabilities/CVE"],"Severity":{"Product":7,"Normalized":70},
       "Title":"Trivy found a vulnerability to CVE-2019-1 in container img","Resources":[{"Id":"img",
       "Details":{"Other":{"CVE ID":"CVE-2019-1","PkgName":"p","Installed Package":"1","Patched Package":"","NvdCvssScoreV3":5.3}}}]}])");
    auto r = ingest::parse_asff_json(in);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    auto& f = r->steps.at(0).findings.at(0);
    CHECK(r->steps[0].name == "trivy");
    CHECK(f.rule_id == "CVE-2019-1");
    CHECK(f.severity == model::Severity::High);
    CHECK(f.tool_severity == "70");
    CHECK(f.package.fixed_version.empty());

    auto inspector = ingest::make_input("i.json", R"({"Findings":[{"Id":"arn:1","ProductName":"Inspector",
      "GeneratorId":"AWSInspector","Types":["Software and Configuration Checks/Vulnerabilities/CVE"],
      "Severity":{"Label":"INFORMATIONAL"},"Title":"CVE-2022-9 - openssl",
      "Vulnerabilities":[{"Id":"CVE-2022-9","VulnerablePackages":[{"Name":"openssl","Version":"3.0.1",
      "FixedInVersion":"3.0.2","PackageManager":"OS"}]}],"Resources":[{"Id":"arn:aws:ecr:img"}]}]})");
    auto i = ingest::parse_asff_json(inspector);
    REQUIRE_MESSAGE(i, (i ? "" : i.error().message));
    CHECK(i->steps.at(0).name == "inspector");
    auto& g = i->steps[0].findings.at(0);
    CHECK(g.rule_id == "CVE-2022-9");
    CHECK(g.package.name == "openssl");
    CHECK(g.package.fixed_version == "3.0.2");
    CHECK(g.severity == model::Severity::Info);
    CHECK(g.location.target == "arn:aws:ecr:img");
  }

  TEST_CASE("the bare array of trivy's asff template before 0.20 is recognized by content") {
    test::TempDir tmp;
    auto bare = (tmp / "old.asff.json").string();
    auto py = test::run_process({"/usr/bin/python3", "-c",
                                 "import json,sys; d=json.load(open(sys.argv[1])); json.dump(d['Findings'], open(sys.argv[2],'w'))",
                                 test::corpus("trivy/golden-alpine-310.asff.json").string(), bare});
    REQUIRE_MESSAGE(py.code == 0, py.err);
    auto wrapped = ingest::parse_report(test::corpus("trivy/golden-alpine-310.asff.json"));
    auto r = ingest::parse_report(bare);  // auto: no family given
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    REQUIRE(wrapped);
    CHECK(r->format == "asff");
    REQUIRE(r->steps.size() == 1);
    CHECK(r->steps[0].name == "trivy");
    CHECK(r->steps[0].findings.size() == wrapped->steps.at(0).findings.size());
  }

  TEST_CASE("asff shape errors name the position") {
    auto in = ingest::make_input("bad.json", "{\"Findings\":\n \"nope\"}");
    auto r = ingest::parse_asff_json(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().line == 2);
    CHECK(r.error().message.find("Findings") != std::string::npos);
  }
}
