#include <algorithm>
#include <map>
#include <sstream>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

// The counting rule, written independently in python: vulnerabilities + misconfigurations that
// did not pass + secrets + licenses, over every Result of every shape (v2, legacy array, k8s).
const char* kPythonCount = R"PY(
import json, sys
def count(results):
    n = 0
    for r in results or []:
        n += len(r.get('Vulnerabilities') or [])
        n += sum(1 for m in (r.get('Misconfigurations') or []) if m.get('Status') not in ('PASS', 'EXCEPTION'))
        n += len(r.get('Secrets') or [])
        n += len(r.get('Licenses') or [])
    return n
for path in sys.argv[1:]:
    doc = json.load(open(path, encoding='utf-8-sig'))
    if isinstance(doc, list):
        n = count(doc)
    else:
        n = count(doc.get('Results'))
        for key in ('Resources', 'Vulnerabilities', 'Misconfigurations'):
            for res in doc.get(key) or []:
                n += count(res.get('Results'))
    print(path + '\t' + str(n))
)PY";

std::map<std::string, std::size_t> python_counts(const std::vector<std::string>& files) {
  std::vector<std::string> argv{"/usr/bin/python3", "-c", kPythonCount};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = test::run_process(argv);
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::map<std::string, std::size_t> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto tab = line.rfind('\t');
    if (tab != std::string::npos) out[line.substr(0, tab)] = std::stoul(line.substr(tab + 1));
  }
  return out;
}

// Every trivy -f json report of the corpus (the template outputs have their own parsers).
std::vector<std::string> trivy_json_files() {
  std::vector<std::string> files;
  for (auto& e : std::filesystem::directory_iterator(test::corpus("trivy"))) {
    auto name = e.path().filename().string();
    if (e.path().extension() != ".json" || name.find(".gitlab") != std::string::npos ||
        name.find(".asff") != std::string::npos)
      continue;
    files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

const model::Finding* find(const model::StepResult& s, std::string_view rule, std::string_view pkg = {}) {
  for (auto& f : s.findings)
    if (f.rule_id == rule && (pkg.empty() || f.package.name == pkg)) return &f;
  return nullptr;
}

ingest::ParseResult parse_text(std::string_view text) {
  auto in = ingest::make_input("t.json", text);
  return ingest::parse_trivy_json(in);
}

}  // namespace

TEST_SUITE("ingest.trivy") {
  TEST_CASE("every corpus trivy JSON report has the independently counted findings") {
    auto files = trivy_json_files();
    REQUIRE(files.size() >= 30);
    auto expected = python_counts(files);
    REQUIRE(expected.size() == files.size());
    std::size_t total = 0;
    for (auto& file : files) {
      INFO(file);
      auto r = ingest::parse_report(file, "trivy");
      REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
      REQUIRE(r->steps.size() == 1);
      auto& s = r->steps[0];
      CHECK(s.name == "trivy");
      CHECK(s.tool == "trivy");
      CHECK(s.findings.size() == expected[file]);
      total += s.findings.size();
      for (auto& f : s.findings) {
        CHECK(f.tool == "trivy");
        CHECK(!f.rule_id.empty());
        CHECK(!f.title.empty());
        CHECK(!f.fingerprint.empty());
        CHECK(f.message.size() <= 1003);
      }
    }
    CHECK(total >= 250);
  }

  TEST_CASE("schema v2 image scan maps package and severity and layer") {
    auto r = ingest::parse_report(test::corpus("trivy/golden-alpine-310.json"));
    REQUIRE(r);
    CHECK(r->format == "trivy-json-v2");
    auto& s = r->steps.at(0);
    CHECK(s.tool_version == "dev");
    auto* f = find(s, "CVE-2019-1549", "libcrypto1.1");
    REQUIRE(f);
    CHECK(f->kind == model::Kind::Vulnerability);
    CHECK(f->severity == model::Severity::Medium);
    CHECK(f->tool_severity == "MEDIUM");
    CHECK(f->title == "openssl: information disclosure in fork()");
    CHECK(f->package.version == "1.1.1c-r0");
    CHECK(f->package.fixed_version == "1.1.1d-r0");
    CHECK(f->package.type == "alpine");
    CHECK(f->package.purl == "pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2");
    CHECK(f->location.target == "testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)");
    CHECK(f->location.layer == "sha256:03901b4a2ea88eeaad62dbe59b072b28b6efa00491962b8741081c5df50c65e0");
    CHECK(f->location.path.empty());
    CHECK(f->help_uri == "https://avd.aquasec.com/nvd/cve-2019-1549");
    CHECK(f->message.starts_with("OpenSSL 1.1.1 introduced"));
    CHECK(f->confidence.empty());
  }

  TEST_CASE("keys written with escapes are the same keys") {
    // Keys are compared as written when they hold no escape; one that does is unescaped first.
    auto text = test::read(test::corpus("trivy/golden-alpine-310.json"));
    auto plain_in = ingest::make_input("plain.json", text);
    auto plain = ingest::parse_input(plain_in);
    for (auto [from, to] : {std::pair<std::string, std::string>{"\"VulnerabilityID\"", "\"Vulnerabilit\\u0079ID\""},
                            {"\"PkgName\"", "\"Pkg\\u004eame\""},
                            {"\"Results\"", "\"Result\\u0073\""}})
      for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    REQUIRE(text.find("Vulnerabilit\\u0079ID") != std::string::npos);
    auto in = ingest::make_input("escaped.json", text);
    auto escaped = ingest::parse_input(in);
    REQUIRE_MESSAGE(plain, (plain ? "" : plain.error().to_string()));
    REQUIRE_MESSAGE(escaped, (escaped ? "" : escaped.error().to_string()));
    auto& a = plain->steps.at(0).findings;
    auto& b = escaped->steps.at(0).findings;
    REQUIRE(a.size() == b.size());
    REQUIRE(!a.empty());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].rule_id == b[i].rule_id);
      CHECK(a[i].package.name == b[i].package.name);
      CHECK(a[i].fingerprint == b[i].fingerprint);
    }
  }

  TEST_CASE("repository scan: lock file vulnerabilities get the lock file as path and GHSA aliases") {
    auto r = ingest::parse_report(test::corpus("trivy/golden-npm.json"));
    REQUIRE(r);
    auto* f = find(r->steps.at(0), "CVE-2019-11358", "jquery");
    REQUIRE(f);
    CHECK(f->location.path == "package-lock.json");
    CHECK(f->package.type == "npm");
    CHECK(std::find(f->aliases.begin(), f->aliases.end(), "GHSA-6c3j-c64m-qhgq") != f->aliases.end());
  }

  TEST_CASE("vendor ids become aliases and unfixed vulnerabilities have no fixed version") {
    auto r = ingest::parse_report(test::corpus("trivy/dd-kubernetes.json"));
    REQUIRE(r);
    auto* f = find(r->steps.at(0), "CVE-2020-27350", "apt");
    REQUIRE(f);
    CHECK(f->aliases == std::vector<std::string>{"DSA-4808-1"});
    CHECK(f->package.fixed_version == "1.8.2.2");
    auto a = ingest::parse_report(test::corpus("trivy/dd-all_statuses.json"));
    REQUIRE(a);
    std::size_t unfixed = 0;
    for (auto& x : a->steps.at(0).findings) unfixed += x.package.fixed_version.empty();
    CHECK(unfixed > 0);
  }

  TEST_CASE("kubernetes report names the resource in the target") {
    auto r = ingest::parse_report(test::corpus("trivy/dd-kubernetes.json"));
    REQUIRE(r);
    CHECK(r->format == "trivy-json-k8s");
    auto& s = r->steps.at(0);
    bool image = false, config = false;
    for (auto& f : s.findings) {
      CHECK(f.location.target.starts_with("default/"));
      if (f.location.target == "default/Deployment/redis-follower: gcr.io/google_samples/gb-redis-follower:v2 (debian 10.4)")
        image = true;
      if (f.kind == model::Kind::Misconfiguration && f.rule_id == "KSV001" &&
          f.location.target == "default/Deployment/redis-follower: Deployment/redis-follower") {
        config = true;
        CHECK(f.location.path == "Deployment/redis-follower");
        CHECK(f.location.line == 132);
        CHECK(f.location.end_line == 143);
        CHECK(f.severity == model::Severity::Medium);
        CHECK(f.message.find("allowPrivilegeEscalation") != std::string::npos);
      }
    }
    CHECK(image);
    CHECK(config);
  }

  TEST_CASE("kubernetes Resources shape") {
    auto r = ingest::parse_report(test::corpus("trivy/dd-issue_9170-k8s-resources.json"));
    REQUIRE(r);
    CHECK(r->format == "trivy-json-k8s");
    auto* f = find(r->steps.at(0), "KSV116");
    REQUIRE(f);
    CHECK(f->location.target == "default/Service/kubernetes: Service/kubernetes");
    CHECK(f->aliases == std::vector<std::string>{"AVD-KSV-0116"});
    CHECK(f->severity == model::Severity::Low);
  }

  TEST_CASE("legacy top-level array") {
    auto r = ingest::parse_report(test::corpus("trivy/dd-legacy_many_vulns.json"));
    REQUIRE(r);
    CHECK(r->format == "trivy-json-v1");
    auto* f = find(r->steps.at(0), "CVE-2011-3374", "apt");
    REQUIRE(f);
    CHECK(f->severity == model::Severity::Low);
    CHECK(f->title == "CVE-2011-3374");  // no Title in the report: the id stands in
    CHECK(f->package.fixed_version.empty());
    CHECK(!f->location.layer.empty());
  }

  TEST_CASE("misconfigurations keep only failures with their lines") {
    auto r = ingest::parse_report(test::corpus("trivy/golden-dockerfile-misconfig.json"));
    REQUIRE(r);
    auto& s = r->steps.at(0);
    REQUIRE(s.findings.size() == 1);
    auto& f = s.findings[0];
    CHECK(f.kind == model::Kind::Misconfiguration);
    CHECK(f.rule_id == "DS-0002");
    CHECK(f.severity == model::Severity::High);
    CHECK(f.location.path == "Dockerfile");
    CHECK(f.message == "Specify at least 1 USER command in Dockerfile with non-root user as argument");
    CHECK(f.help_uri == "https://avd.aquasec.com/misconfig/ds-0002");

    auto pass = parse_text(R"({"SchemaVersion":2,"Results":[{"Target":"Dockerfile","Misconfigurations":[
      {"ID":"DS001","Status":"PASS"},{"ID":"DS002","Status":"EXCEPTION"},
      {"Status":"FAIL","ID":"DS026","CauseMetadata":{"StartLine":3,"EndLine":4}}]}]})");
    REQUIRE(pass);
    REQUIRE(pass->steps[0].findings.size() == 1);
    CHECK(pass->steps[0].findings[0].rule_id == "DS026");
    CHECK(pass->steps[0].findings[0].location.line == 3);
    CHECK(pass->steps[0].findings[0].location.end_line == 4);
  }

  TEST_CASE("licenses become license findings") {
    auto r = ingest::parse_report(test::corpus("trivy/dd-license_scheme.json"));
    REQUIRE(r);
    auto* f = find(r->steps.at(0), "GPL-2.0", "alpine-baselayout");
    REQUIRE(f);
    CHECK(f->kind == model::Kind::License);
    CHECK(f->severity == model::Severity::High);
    CHECK(f->location.target == "OS Packages");
    CHECK(f->title.find("alpine-baselayout") != std::string::npos);
  }

  TEST_CASE("secrets keep rule file and line but never the matched text") {
    auto r = ingest::parse_report(test::corpus("trivy/golden-secrets.json"));
    REQUIRE(r);
    auto* f = find(r->steps.at(0), "aws-access-key-id");
    REQUIRE(f);
    CHECK(f->kind == model::Kind::Secret);
    CHECK(f->severity == model::Severity::Critical);
    CHECK(f->location.path == "deploy.sh");
    CHECK(f->location.line == 3);
    CHECK(f->title == "AWS Access Key ID");
    CHECK(f->location.snippet.empty());

    // What must never leave the report: every Match and every code line trivy quoted.
    auto secrets = test::run_process({"/usr/bin/python3", "-c", R"PY(
import json, sys
doc = json.load(open(sys.argv[1]))
for r in doc['Results']:
    for s in r.get('Secrets') or []:
        print(s['Match'])
        for line in (s.get('Code') or {}).get('Lines') or []:
            if len(line['Content']) >= 8: print(line['Content'])
)PY",
                                      test::corpus("trivy/golden-secrets.json").string()});
    REQUIRE(secrets.code == 0);
    test::TempDir tmp;
    auto out = tmp / "result.json";
    auto g = test::cli({"gate", test::corpus("trivy/golden-secrets.json").string(), "--json", out.string(),
                        "--fail-on", "none"});
    REQUIRE_MESSAGE(g.code == 0, g.err);
    auto json = test::read(out);
    REQUIRE(json.find("aws-access-key-id") != std::string::npos);
    std::istringstream lines(secrets.out);
    int checked = 0;
    for (std::string secret; std::getline(lines, secret);) {
      if (secret.empty()) continue;
      INFO(secret);
      CHECK(json.find(secret) == std::string::npos);
      CHECK(g.out.find(secret) == std::string::npos);
      CHECK(g.err.find(secret) == std::string::npos);
      ++checked;
    }
    CHECK(checked >= 3);
  }

  TEST_CASE("Results null and missing arrays and unknown fields") {
    auto empty = parse_text(R"({"SchemaVersion":2,"ArtifactName":"x","Results":null})");
    REQUIRE(empty);
    REQUIRE(empty->steps.size() == 1);
    CHECK(empty->steps[0].findings.empty());

    auto none = parse_text(R"({"SchemaVersion":2,"ArtifactName":"x"})");
    REQUIRE(none);
    CHECK(none->steps.at(0).findings.empty());

    // Target after the arrays, unknown keys of every type, null arrays, null Layer.
    auto r = parse_text(R"J({"Future":{"a":[1,{"b":null}]},"Results":[{"Vulnerabilities":[
      {"Zed":[{}],"VulnerabilityID":"CVE-2024-0001","PkgName":"p","Layer":null,"VendorIDs":null,
       "References":["https://github.com/advisories/GHSA-abcd-efgh-2345"],"Severity":"SOMETHING"}],
      "Misconfigurations":null,"Secrets":[],"Target":"img (debian 12)","Type":"debian","New":true}],
      "SchemaVersion":2,"Trivy":{"Version":"0.99.0"}})J");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    auto& s = r->steps.at(0);
    CHECK(s.tool_version == "0.99.0");
    REQUIRE(s.findings.size() == 1);
    auto& f = s.findings[0];
    CHECK(f.location.target == "img (debian 12)");
    CHECK(f.package.type == "debian");
    CHECK(f.severity == model::Severity::Unknown);
    CHECK(f.tool_severity == "SOMETHING");
    CHECK(f.aliases == std::vector<std::string>{"GHSA-abcd-efgh-2345"});
  }

  TEST_CASE("a long description is cut on a UTF-8 boundary") {
    std::string desc;
    while (desc.size() < 5000) desc += "\xC3\xA9t\xC3\xA9 ";
    auto r = parse_text(R"({"SchemaVersion":2,"Results":[{"Target":"t","Vulnerabilities":[{"VulnerabilityID":"CVE-1","Description":")" +
                        desc + "\"}]}]}");
    REQUIRE(r);
    auto& m = r->steps.at(0).findings.at(0).message;
    CHECK(m.size() <= 1003);
    CHECK(m.size() > 900);
    CHECK(m.ends_with("\xE2\x80\xA6"));
  }

  TEST_CASE("wrong shapes are errors with line and column") {
    auto r = parse_text("{\"SchemaVersion\":2,\n \"Results\":\"x\"}");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().file == "t.json");
    CHECK(r.error().line == 2);
    CHECK(r.error().column == 12);
    CHECK(r.error().message.find("Results") != std::string::npos);

    auto no_id = parse_text("{\"Results\":[{\"Target\":\"t\",\"Vulnerabilities\":[\n{\"PkgName\":\"p\"}]}]}");
    REQUIRE_FALSE(no_id);
    CHECK(no_id.error().line == 2);
    CHECK(no_id.error().message.find("VulnerabilityID") != std::string::npos);

    auto truncated = parse_text("{\"SchemaVersion\":2,\"Results\":[{\"Target\":\"t\",\"Vulnerabilities\":[");
    REQUIRE_FALSE(truncated);
    CHECK(truncated.error().kind == util::ErrorKind::Input);
  }
}
