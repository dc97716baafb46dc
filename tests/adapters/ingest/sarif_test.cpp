#include <map>
#include <set>
#include <sstream>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sarif_resolve.hpp"
#include "adapters/ingest/sarif_tools.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

ingest::ParsedReport parse_text(const std::string& name, const std::string& text) {
  auto in = ingest::make_input(name, text);
  auto r = ingest::parse_sarif(in);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
  return std::move(*r);
}

const model::StepResult* step(const ingest::ParsedReport& r, std::string_view name) {
  for (auto& s : r.steps)
    if (s.name == name) return &s;
  return nullptr;
}

// Severity counts the way the SARIF spec and the brief define them, computed by python over the
// same file: security-severity (result, else rule) as a CVSS score, else level (result, else
// rule default, else CodeQL's problem.severity, else "warning").
std::map<std::string, int> expected_severities(const test::fs::path& file) {
  static const char* script = R"PY(
import json, sys
def bucket(score):
    return "critical" if score >= 9 else "high" if score >= 7 else "medium" if score >= 4 else "low" if score > 0 else "info"
LEVEL = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
doc = json.load(open(sys.argv[1], encoding="utf-8-sig"))
counts = {}
for run in doc.get("runs") or []:
    tool = run.get("tool", {})
    comps = [tool.get("driver", {})] + list(tool.get("extensions") or [])
    for r in run.get("results") or []:
        if r.get("kind") in ("pass", "notApplicable"):
            continue
        ref = r.get("rule") or {}
        comp = comps[(ref.get("toolComponent") or {}).get("index", 0)] if comps else {}
        rules = comp.get("rules") or []
        rid = r.get("ruleId") or ref.get("id")
        idx = r.get("ruleIndex", ref.get("index", -1))
        rule = None
        if isinstance(idx, int) and 0 <= idx < len(rules) and (rid is None or rules[idx].get("id") == rid):
            rule = rules[idx]
        if rule is None and rid is not None:
            rule = next((x for x in rules if x.get("id") == rid), None)
        rule = rule or {}
        props = rule.get("properties") or {}
        sec = (r.get("properties") or {}).get("security-severity", props.get("security-severity"))
        try:
            score = float(sec)
            sev = bucket(score) if 0 <= score <= 10 else None
        except (TypeError, ValueError):
            sev = None
        if sev is None:
            level = r.get("level") or (rule.get("defaultConfiguration") or {}).get("level")
            if not level and props.get("problem.severity"):
                level = "note" if props["problem.severity"] == "recommendation" else props["problem.severity"]
            sev = LEVEL.get(level or "warning", "unknown")
        counts[sev] = counts.get(sev, 0) + 1
for k, v in sorted(counts.items()):
    print(k, v)
)PY";
  auto r = test::run_process({"/usr/bin/python3", "-c", script, file.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  std::map<std::string, int> out;
  std::istringstream ss(r.out);
  std::string k;
  int v = 0;
  while (ss >> k >> v) out[k] = v;
  return out;
}

std::map<std::string, int> severities(const ingest::ParsedReport& r) {
  std::map<std::string, int> out;
  for (auto& s : r.steps)
    for (auto& f : s.findings) ++out[std::string(model::to_string(f.severity))];
  return out;
}

std::vector<test::fs::path> sarif_corpus() {
  std::vector<test::fs::path> files;
  for (auto dir : {"sarif", "trivy", "grype", "hadolint", "bandit"})
    for (auto& e : test::fs::directory_iterator(test::corpus(dir))) {
      auto in = ingest::load_input(e.path());
      if (!in) continue;
      auto fmt = ingest::sniff(*in);
      if (fmt && fmt->family == "sarif") files.push_back(e.path());
    }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_SUITE("ingest.sarif") {
  TEST_CASE("trivy SARIF lands in the trivy step with packages from the message") {
    auto r = ingest::parse_report(test::corpus("trivy/golden-alpine-310.sarif"));
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(r->format == "sarif");
    REQUIRE(r->steps.size() == 1);
    auto& s = r->steps[0];
    CHECK(s.name == "trivy");
    CHECK(s.tool == "trivy");
    CHECK(s.tool_version == "dev");
    REQUIRE(s.findings.size() == 4);
    auto& f = s.findings[0];
    CHECK(f.kind == model::Kind::Vulnerability);
    CHECK(f.rule_id == "CVE-2019-1549");
    CHECK(f.package.name == "libcrypto1.1");
    CHECK(f.package.version == "1.1.1c-r0");
    CHECK(f.package.fixed_version == "1.1.1d-r0");
    CHECK(f.severity == model::Severity::Medium);  // security-severity 5.3
    CHECK(f.tool_severity == "5.3");
    CHECK(f.title == "openssl: information disclosure in fork()");
    CHECK(f.help_uri == "https://avd.aquasec.com/nvd/cve-2019-1549");
    // The third result shares the rule but is about another package.
    CHECK(s.findings[2].package.name == "libssl1.1");
    CHECK(s.findings[2].fingerprint != f.fingerprint);
  }

  TEST_CASE("grype SARIF: CVE id out of the rule id and the package from message and rule help") {
    auto r = ingest::parse_report(test::corpus("grype/snap-head-sarif-image.sarif"));
    REQUIRE(r);
    REQUIRE(r->steps.size() == 1);
    auto& s = r->steps[0];
    CHECK(s.name == "grype");
    REQUIRE(s.findings.size() == 2);
    auto& f = s.findings[0];
    CHECK(f.rule_id == "CVE-1999-0001");
    CHECK(f.kind == model::Kind::Vulnerability);
    CHECK(f.package.name == "package-1");
    CHECK(f.package.version == "1.1.1");
    CHECK(f.package.type == "rpm");
    CHECK(f.package.fixed_version == "1.2.1,2.1.3,3.4.0");
    CHECK(f.severity == model::Severity::High);  // security-severity 8.2 wins over the level
    CHECK(s.findings[1].package.purl == "pkg:deb/package-2@2.2.2");
    CHECK(s.findings[1].package.fixed_version.empty());
  }

  TEST_CASE("old grype SARIF: every finding has an id and a package") {
    auto r = ingest::parse_report(test::corpus("sarif/grype-cxf-3.4.6.sarif"));
    REQUIRE(r);
    auto* s = step(*r, "grype");
    REQUIRE(s);
    CHECK(s->findings.size() == 22);
    for (auto& f : s->findings) {
      INFO(f.rule_id);
      CHECK((f.rule_id.starts_with("CVE-") || f.rule_id.starts_with("GHSA-")));
      CHECK(!f.package.name.empty());
      CHECK(!f.package.version.empty());
    }
    CHECK(s->findings[0].package.name == "geronimo-j2ee-management_1.1_spec");
    CHECK(s->findings[0].package.version == "1.0.1");
  }

  TEST_CASE("severity counts agree with an independent reading of every SARIF file") {
    for (auto& file : sarif_corpus()) {
      auto r = ingest::parse_report(file);
      CHECK_MESSAGE(r, file.string() << ": " << (r ? "" : r.error().to_string()));
      if (!r) continue;
      CHECK_MESSAGE(severities(*r) == expected_severities(file), file.string());
      for (auto& s : r->steps) {
        std::set<std::string> prints;
        for (auto& f : s.findings) {
          CHECK_MESSAGE(!f.rule_id.empty(), file.string());
          CHECK_MESSAGE(f.title.size() <= 400, file.string());
          CHECK_MESSAGE(f.message.size() <= 2100, file.string());
          prints.insert(f.fingerprint);
        }
        CHECK_MESSAGE(prints.size() == s.findings.size(), file.string() << ": fingerprints are not unique");
      }
    }
  }

  // Found by clang-tidy (bugprone-use-after-move): a result without a file moved its logical
  // location into the finding's target before the package was read from it.
  TEST_CASE("a vulnerability with only a logical location name@version gets its package from it") {
    auto p = parse_text("logical.sarif", R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Trivy",)"
                                         R"("rules":[{"id":"CVE-2023-0001"}]}},"results":[{"ruleId":"CVE-2023-0001",)"
                                         R"("level":"error","message":{"text":"a vulnerability"},"locations":[)"
                                         R"({"logicalLocations":[{"fullyQualifiedName":"openssl@3.0.1"}]}]}]}]})");
    REQUIRE(p.steps.size() == 1);
    REQUIRE(p.steps[0].findings.size() == 1);
    auto& f = p.steps[0].findings[0];
    CHECK(f.location.target == "openssl@3.0.1");
    CHECK(f.package.name == "openssl");
    CHECK(f.package.version == "3.0.1");
  }

  TEST_CASE("generic tools get a step named after the tool") {
    auto r = ingest::parse_report(test::corpus("sarif/codeQL-output.sarif"));
    REQUIRE(r);
    REQUIRE(r->steps.size() == 1);
    CHECK(r->steps[0].name == "codeql");
    CHECK(r->steps[0].tool == "CodeQL");
    CHECK(r->steps[0].tool_version == "2.5.4");  // semanticVersion when version is absent
    CHECK(r->steps[0].findings.size() == 72);
    for (auto& f : r->steps[0].findings) {
      CHECK(f.kind == model::Kind::Code);
      CHECK(!f.location.path.empty());
      CHECK(f.location.line > 0);
    }
    auto bash = ingest::parse_report(test::corpus("sarif/bash-report.sarif"));
    REQUIRE(bash);
    CHECK(bash->steps.at(0).name == "shell-script-analysis");
  }

  TEST_CASE("Docker Scout SARIF ingests as vulnerabilities of a docker-scout step") {
    auto r = parse_text("scout.sarif", R"({
      "version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
      "runs": [{"tool": {"driver": {"fullName": "Docker Scout", "name": "docker scout", "version": "1.15.0",
        "rules": [{"id": "CVE-2023-5678", "name": "OsPackageVulnerability",
                   "shortDescription": {"text": "CVE-2023-5678"},
                   "helpUri": "https://scout.docker.com/v/CVE-2023-5678",
                   "properties": {"affected_version": "<3.1.4-r1", "cvssV3_severity": "MEDIUM",
                                  "fixed_version": "3.1.4-r1", "purls": ["pkg:apk/alpine/openssl@3.1.4-r0?os_name=alpine"],
                                  "security-severity": "5.3", "tags": ["MEDIUM"]}},
                  {"id": "GMS-2022-9109", "properties": {"cvssV3_severity": "UNSPECIFIED", "fixed_version": "not fixed",
                   "purl": "pkg:maven/com.thoughtworks.xstream/xstream@1.4.5", "security-severity": "3.1"}}]}},
        "results": [
          {"ruleId": "CVE-2023-5678", "ruleIndex": 0, "kind": "fail", "level": "warning",
           "message": {"text": "  Vulnerability   : CVE-2023-5678\n  Severity        : MEDIUM\n  Package         : pkg:apk/alpine/libcrypto3@3.1.4-r0?os_name=alpine\n  Affected range  : <3.1.4-r1\n  Fixed version   : 3.1.4-r1\n"},
           "locations": [{"physicalLocation": {"artifactLocation": {"uri": "/lib/apk/db/installed"}}}]},
          {"ruleId": "GMS-2022-9109", "ruleIndex": 1}
        ]}]})");
    auto* s = step(r, "docker-scout");
    REQUIRE(s);
    REQUIRE(s->findings.size() == 2);
    auto& a = s->findings[0];
    CHECK(a.kind == model::Kind::Vulnerability);
    CHECK(a.tool == "docker-scout");
    CHECK(a.rule_id == "CVE-2023-5678");
    CHECK(a.package.name == "libcrypto3");  // the result's package, not the rule's first purl
    CHECK(a.package.version == "3.1.4-r0");
    CHECK(a.package.type == "apk");
    CHECK(a.package.fixed_version == "3.1.4-r1");
    CHECK(a.severity == model::Severity::Medium);
    auto& b = s->findings[1];
    CHECK(b.rule_id == "GMS-2022-9109");
    CHECK(b.package.name == "xstream");
    CHECK(b.package.version == "1.4.5");
    CHECK(b.package.fixed_version.empty());
    CHECK(b.severity == model::Severity::Low);
  }

  TEST_CASE("rules after results and several runs of one tool fold into one step") {
    auto r = parse_text("multi.sarif", R"({"version": "2.1.0", "runs": [
      {"results": [{"ruleId": "R1", "message": {"text": "first"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.py"}, "region": {"startLine": 3}}}]}],
       "tool": {"driver": {"name": "My Tool", "version": "1.0",
                "rules": [{"id": "R1", "shortDescription": {"text": "Rule one"}, "defaultConfiguration": {"level": "error"},
                           "helpUri": "https://example.test/R1"}]}}},
      {"tool": {"driver": {"name": "my tool"}},
       "results": [{"ruleId": "R2", "level": "note", "message": {"text": "second"}}]},
      {"tool": {"driver": {"name": "Trivy"}}, "results": []}
    ]})");
    REQUIRE(r.steps.size() == 2);
    auto* s = step(r, "my-tool");
    REQUIRE(s);
    CHECK(s->tool_version == "1.0");
    REQUIRE(s->findings.size() == 2);
    CHECK(s->findings[0].severity == model::Severity::High);  // the rule's default level, read after the result
    CHECK(s->findings[0].help_uri == "https://example.test/R1");
    CHECK(s->findings[0].location.path == "a.py");
    CHECK(s->findings[0].location.line == 3);
    CHECK(s->findings[1].severity == model::Severity::Low);  // note
    REQUIRE(step(r, "trivy"));
    CHECK(step(r, "trivy")->findings.empty());
  }

  TEST_CASE("rules of tool extensions are found through toolComponent") {
    auto r = parse_text("ext.sarif", R"({"version": "2.1.0", "runs": [{
      "tool": {"driver": {"name": "CodeQL", "rules": [{"id": "js/a"}]},
               "extensions": [{"name": "pack", "rules": [{"id": "js/b", "shortDescription": {"text": "B rule"},
                                                          "properties": {"security-severity": "9.8", "precision": "high"}}]}]},
      "results": [{"ruleId": "js/b", "rule": {"id": "js/b", "index": 0, "toolComponent": {"index": 0}},
                   "message": {"text": "bad"}},
                  {"rule": {"id": "js/b"}, "message": {"text": "found by id"}},
                  {"ruleId": "js/a/sub", "message": {"text": "hierarchical"}, "level": "none"}]}]})");
    auto& f = r.steps.at(0).findings;
    REQUIRE(f.size() == 3);
    CHECK(f[0].rule_id == "js/b");
    CHECK(f[0].severity == model::Severity::Critical);
    CHECK(f[0].tool_severity == "9.8");
    CHECK(f[0].confidence == "high");
    CHECK(f[1].rule_id == "js/b");
    CHECK(f[1].severity == model::Severity::Critical);
    CHECK(f[2].severity == model::Severity::Info);
  }

  TEST_CASE("message id and arguments are formatted from messageStrings") {
    auto r = ingest::parse_report(test::corpus("sarif/spotbugs.sarif"));
    REQUIRE(r);
    auto& f = r->steps.at(0).findings.at(0);
    CHECK(f.message == "Hard coded reference to an absolute pathname in Boot.main(String[]).");
    CHECK(f.location.path == "Boot.java");
    CHECK(ingest::sarif::format_message("{0} and {1}, {{literal}} {7}", {"a", "b"}) == "a and b, {literal} {7}");
    auto k = ingest::parse_report(test::corpus("sarif/appendix_k.sarif"));
    REQUIRE(k);
    auto& g = k->steps.at(0).findings.at(0);
    CHECK(g.message.starts_with("Variable \"ptr\" was used without being initialized."));
    CHECK(g.location.path == "src/collections/list.h");  // SRCROOT is " src/" under an absolute PROJECTROOT
    CHECK(g.location.snippet.starts_with("add_core(ptr, offset, val);"));
  }

  TEST_CASE("suppressed results carry a waiver and stay visible") {
    auto r = ingest::parse_report(test::corpus("sarif/SuppressionTestCurrent.sarif"));
    REQUIRE(r);
    auto& f = r->steps.at(0).findings;
    REQUIRE(f.size() == 4);
    int waived = 0;
    for (auto& x : f)
      if (x.waiver) {
        ++waived;
        CHECK(x.waiver->id == "sarif-suppression");
        CHECK(x.waiver->reason == "suppressed in SARIF");
      }
    CHECK(waived == 3);
    CHECK(!f[3].waiver);
    CHECK(f[0].location.path == "C:/code/file1.c");

    auto s = parse_text("supp.sarif", R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
      {"ruleId": "a", "message": {"text": "1"}, "suppressions": [{"kind": "inSource", "status": "accepted", "justification": "false positive"}]},
      {"ruleId": "a", "message": {"text": "2"}, "suppressions": [{"kind": "external", "status": "underReview"}]},
      {"ruleId": "a", "message": {"text": "3"}, "suppressions": [{"kind": "external", "status": "rejected"}]},
      {"ruleId": "a", "message": {"text": "4"}, "suppressions": []},
      {"ruleId": "a", "message": {"text": "5"}, "kind": "pass"}]}]})");
    auto& g = s.steps.at(0).findings;
    REQUIRE(g.size() == 4);  // the "pass" result is no finding
    REQUIRE(g[0].waiver);
    CHECK(g[0].waiver->reason == "false positive");
    CHECK(!g[1].waiver);
    CHECK(!g[2].waiver);
    CHECK(!g[3].waiver);
  }

  TEST_CASE("suppressed findings do not gate") {
    test::TempDir tmp;
    auto r = test::cli({"gate", test::corpus("sarif/SuppressionTestCurrent.sarif").string(), "--json",
                        (tmp / "r.json").string(), "--fail-on", "low", "-q"});
    CHECK_MESSAGE(r.code == 1, r.err);  // TST0004 is not suppressed (level warning)
    auto json = test::read(tmp / "r.json");
    CHECK(json.find("\"waived\":3") != std::string::npos);
  }

  TEST_CASE("secret scanners: Kind Secret and never the matched text") {
    auto r = ingest::parse_report(test::corpus("sarif/gitleaks_7.5.0.sarif"));
    REQUIRE(r);
    auto* s = step(*r, "gitleaks");
    REQUIRE(s);
    REQUIRE(s->findings.size() == 8);
    for (auto& f : s->findings) {
      CHECK(f.kind == model::Kind::Secret);
      CHECK(f.location.snippet.empty());
      CHECK(f.title.find("AKIA") == std::string::npos);
      CHECK(f.message.find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
    }
    CHECK(s->findings[0].rule_id == "AWS Access Key");  // gitleaks 7 writes no ruleId
    test::TempDir tmp;
    auto g = test::cli({"gate", test::corpus("sarif/gitleaks_7.5.0.sarif").string(), "--json",
                        (tmp / "r.json").string(), "--fail-on", "none", "-q"});
    CHECK(g.code == 0);
    CHECK(test::read(tmp / "r.json").find("AKIAIOSFODNN7EXAMPLE") == std::string::npos);
  }

  TEST_CASE("hadolint and bandit SARIF map to the lint and bandit steps") {
    auto r = parse_text("mixed.sarif", R"({"version": "2.1.0", "runs": [
      {"tool": {"driver": {"name": "Hadolint", "rules": [{"id": "DL3008"}]}},
       "results": [{"ruleId": "DL3008", "level": "warning", "message": {"text": "Pin versions"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "Dockerfile"}, "region": {"startLine": 4}}}]}]},
      {"tool": {"driver": {"name": "Bandit", "version": "1.7.5"}},
       "results": [{"ruleId": "B101", "level": "note", "message": {"text": "assert used"},
                    "properties": {"issue_confidence": "HIGH", "issue_severity": "LOW"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": 1, "snippet": {"text": "assert x"}}}}]},
                   {"ruleId": "B105", "level": "note", "message": {"text": "Possible hardcoded password: 'hunter2'"},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": "app.py"}, "region": {"startLine": 2, "snippet": {"text": "password = 'hunter2'"}}}}]}]}]})");
    auto* lint = step(r, "lint");
    REQUIRE(lint);
    CHECK(lint->tool == "hadolint");
    CHECK(lint->findings.at(0).kind == model::Kind::Lint);
    CHECK(lint->findings.at(0).severity == model::Severity::Medium);
    auto* bandit = step(r, "bandit");
    REQUIRE(bandit);
    CHECK(bandit->tool_version == "1.7.5");
    CHECK(bandit->findings.at(0).kind == model::Kind::Code);
    CHECK(bandit->findings.at(0).confidence == "HIGH");
    CHECK(bandit->findings.at(0).location.snippet == "assert x");
    CHECK(bandit->findings.at(1).kind == model::Kind::Secret);
    CHECK(bandit->findings.at(1).location.snippet.empty());
  }

  TEST_CASE("artifact indexes and base ids resolve to repository paths") {
    auto r = parse_text("uris.sarif", R"({"version": "2.1.0", "runs": [{
      "tool": {"driver": {"name": "t"}},
      "results": [{"ruleId": "a", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"index": 1}}}]},
                  {"ruleId": "a", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "my%20file.py", "uriBaseId": "SRC"}}}]},
                  {"ruleId": "a", "message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": "file:///home/u/x.py"}}}]},
                  {"ruleId": "a", "message": {"text": "m"}, "locations": [{"logicalLocations": [{"fullyQualifiedName": "pkg.mod.fn"}]}]},
                  {"ruleId": "a", "message": {"text": "no location"}}],
      "artifacts": [{"location": {"uri": "zero.py"}}, {"location": {"uri": "lib/one.py", "uriBaseId": "SRC"}}],
      "originalUriBaseIds": {"ROOT": {"uri": "file:///work/"}, "SRC": {"uri": "src/", "uriBaseId": "ROOT"}}}]})");
    auto& f = r.steps.at(0).findings;
    REQUIRE(f.size() == 5);
    CHECK(f[0].location.path == "src/lib/one.py");
    CHECK(f[1].location.path == "src/my file.py");
    CHECK(f[2].location.path == "/home/u/x.py");
    CHECK(f[3].location.path.empty());
    CHECK(f[3].location.target == "pkg.mod.fn");
    CHECK(f[4].location.path.empty());
  }

  TEST_CASE("level defaults and problem.severity") {
    auto r = parse_text("levels.sarif", R"({"version": "2.1.0", "runs": [{
      "tool": {"driver": {"name": "t", "rules": [
        {"id": "rec", "properties": {"problem.severity": "recommendation"}},
        {"id": "err", "defaultConfiguration": {"level": "error"}, "properties": {"security-severity": "not a number"}},
        {"id": "plain"}]}},
      "results": [{"ruleId": "rec", "message": {"text": "a"}},
                  {"ruleId": "err", "message": {"text": "b"}},
                  {"ruleId": "plain", "message": {"text": "c"}},
                  {"ruleId": "plain", "message": {"text": "d"}, "properties": {"security-severity": 0}},
                  {"ruleId": "plain", "message": {"text": "e"}, "level": "bogus"}]}]})");
    auto& f = r.steps.at(0).findings;
    REQUIRE(f.size() == 5);
    CHECK(f[0].severity == model::Severity::Low);
    CHECK(f[1].severity == model::Severity::High);
    CHECK(f[1].tool_severity == "error");
    CHECK(f[2].severity == model::Severity::Medium);  // SARIF's default level is warning
    CHECK(f[2].tool_severity == "warning");
    CHECK(f[3].severity == model::Severity::Info);
    CHECK(f[4].severity == model::Severity::Unknown);
  }

  TEST_CASE("results without locations and dockle's container checks") {
    auto r = ingest::parse_report(test::corpus("sarif/dockle_0_3_15.sarif"));
    REQUIRE(r);
    auto* s = step(*r, "dockle");
    REQUIRE(s);
    CHECK(s->findings.size() == 4);
    for (auto& f : s->findings) {
      CHECK(f.location.path.empty());
      CHECK(!f.title.empty());
    }
  }

  TEST_CASE("copied strings are bounded") {
    std::string big(100000, 'x');
    auto r = parse_text("big.sarif", R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t", "rules": [{"id": "r", "fullDescription": {"text": ")" +
                                             big + R"("}}]}}, "results": [{"ruleId": "r", "message": {"text": ")" + big +
                                             R"("}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": ")" + big +
                                             R"("}, "region": {"snippet": {"text": ")" + big + R"("}}}}]}]}]})");
    auto& f = r.steps.at(0).findings.at(0);
    CHECK(f.message.size() <= 2010);
    CHECK(f.title.size() <= 310);
    CHECK(f.location.path.size() <= 1010);
    CHECK(f.location.snippet.size() <= 1010);
  }

  TEST_CASE("a message written as a string and SARIF 1.0 spellings are read") {
    auto r = parse_text("old.sarif", R"({"version": "1.0.0", "runs": [{"tool": {"name": "OldTool", "version": "0.9"},
      "rules": {"X1": {"id": "X1", "shortDescription": "Old rule"}},
      "results": [{"ruleId": "X1", "message": "plain string", "locations": [{"resultFile": {"uri": "a.c", "region": {"startLine": 7}}}],
                   "suppressionStates": ["suppressedInSource"]}]}]})");
    auto* s = step(r, "oldtool");
    REQUIRE(s);
    CHECK(s->tool_version == "0.9");
    auto& f = s->findings.at(0);
    CHECK(f.message == "plain string");
    CHECK(f.location.path == "a.c");
    CHECK(f.location.line == 7);
    CHECK(f.waiver.has_value());
    CHECK(r.warnings.size() == 1);
  }

  TEST_CASE("wrong shapes are errors with a position") {
    auto in = ingest::make_input("bad.sarif", "{\"version\": \"2.1.0\",\n \"runs\": {}}");
    auto r = ingest::parse_sarif(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().line == 2);
    CHECK(r.error().message.find("runs") != std::string::npos);
    auto in2 = ingest::make_input("bad2.sarif", "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [42]}]}");
    auto r2 = ingest::parse_sarif(in2);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().message.find("result") != std::string::npos);
    auto in3 = ingest::make_input("bad3.sarif", "{\"version\": \"2.1.0\"}");
    CHECK_FALSE(ingest::parse_sarif(in3));
  }

  TEST_CASE("vulnerability ids and package facts from text") {
    using namespace ingest::sarif;
    CHECK(find_vuln_id("CVE-2021-44228-log4j-core") == "CVE-2021-44228");
    CHECK(find_vuln_id("[HIGH] cve-2020-1234") == "CVE-2020-1234");
    CHECK(find_vuln_id("GHSA-JFH8-C2JP-5V3Q") == "GHSA-jfh8-c2jp-5v3q");
    CHECK(find_vuln_id("B105").empty());
    CHECK(find_vuln_id("XCVE-2020-1234").empty());
    PackageFacts p;
    facts_from_purl("pkg:npm/%40babel/core@7.0.0?x=1#sub", p);
    CHECK(p.name == "core");
    CHECK(p.version == "7.0.0");
    CHECK(p.type == "npm");
    PackageFacts q;
    facts_from_at_version("found in image x: openssl@1.1.1k", q);
    CHECK(q.name == "openssl");
    CHECK(q.version == "1.1.1k");
    PackageFacts e;
    facts_from_at_version("contact admin@example.org", e);
    CHECK(e.name.empty());
    CHECK(profile_for("Anchore Grype Scan").step == "grype");
    CHECK(profile_for("Docker Scout").step == "docker-scout");
    CHECK(profile_for("Semgrep OSS").step == "semgrep-oss");
    CHECK(profile_for("").step == "sarif");
  }
}
