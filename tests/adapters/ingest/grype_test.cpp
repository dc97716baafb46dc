#include <algorithm>
#include <set>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

// What python's json module says about a grype report: "matches descriptor.version".
std::string python_facts(const test::fs::path& file) {
  auto r = test::run_process({"/usr/bin/python3", "-c",
                              "import json,sys\n"
                              "d=json.load(open(sys.argv[1]))\n"
                              "print(len(d.get('matches') or []), (d.get('descriptor') or {}).get('version',''))",
                              file.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return r.out.substr(0, r.out.find_last_not_of("\r\n") + 1);
}

const model::Finding* find(const model::StepResult& s, std::string_view id, std::string_view pkg) {
  for (auto& f : s.findings)
    if (f.rule_id == id && f.package.name == pkg) return &f;
  return nullptr;
}

}  // namespace

TEST_SUITE("ingest.grype") {
  TEST_CASE("every corpus grype JSON gives as many findings as python counts matches") {
    int files = 0;
    for (auto& e : test::fs::directory_iterator(test::corpus("grype"))) {
      if (e.path().extension() != ".json") continue;
      ++files;
      CAPTURE(e.path().filename().string());
      auto r = ingest::parse_report(e.path(), "grype");
      REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
      CHECK(r->format == "grype-json");
      REQUIRE(r->steps.size() == 1);
      auto& s = r->steps[0];
      CHECK(s.name == "grype");
      CHECK(s.tool == "grype");
      CHECK(s.errors.empty());
      std::string facts = python_facts(e.path());
      CHECK(std::to_string(s.findings.size()) + " " + s.tool_version == facts);
      std::set<std::string> fps;
      for (auto& f : s.findings) {
        CHECK(f.kind == model::Kind::Vulnerability);
        CHECK(f.tool == "grype");
        CHECK(!f.rule_id.empty());
        CHECK(!f.package.name.empty());
        CHECK(f.title.starts_with(f.rule_id + " in " + f.package.name));
        CHECK(f.message.size() <= 1003);  // 1000 bytes and an ellipsis
        fps.insert(f.fingerprint);
      }
      CHECK(fps.size() == s.findings.size());
    }
    CHECK(files >= 10);
  }

  TEST_CASE("grype 0.7 report: links and cvssV2 shape with fixedInVersion and object matchDetails") {
    auto r = ingest::parse_report(test::corpus("grype/dd-many_vulns3.json"));
    REQUIRE(r);
    auto& s = r->steps.at(0);
    CHECK(s.findings.size() == 327);
    CHECK(s.tool_version == "0.7.0");
    auto* bash = find(s, "CVE-2019-18276", "bash");
    REQUIRE(bash);
    CHECK(bash->severity == model::Severity::Info);  // Negligible
    CHECK(bash->tool_severity == "Negligible");
    CHECK(bash->package.version == "5.0-4");
    CHECK(bash->package.type == "deb");
    CHECK(bash->package.purl == "pkg:deb/debian/bash@5.0-4?arch=amd64");
    CHECK(bash->package.path.empty());  // an OS package: one per image
    CHECK(bash->help_uri == "https://security-tracker.debian.org/tracker/CVE-2019-18276");
    CHECK(bash->location.target == "defectdojo/defectdojo-django:1.13.1");
    CHECK(bash->location.layer == "sha256:3c0ac088a35b2eb53ecb64542748fdc813eb7b6444fb593f65e3d855b6cc64b2");
    CHECK(bash->confidence.empty());  // 0.7 has no match type
    auto* zstd = find(s, "CVE-2021-24031", "libzstd1");
    REQUIRE(zstd);
    CHECK(zstd->package.fixed_version == "1.3.8+dfsg-3+deb10u1");
    CHECK(zstd->severity == model::Severity::Unknown);
  }

  TEST_CASE("grype 0.28: related vulnerabilities become aliases and python packages keep their path") {
    auto r = ingest::parse_report(test::corpus("grype/dd-check_all_fields.json"));
    REQUIRE(r);
    auto& s = r->steps.at(0);
    CHECK(s.tool_version == "0.28.0");
    REQUIRE(s.findings.size() == 6);
    int with_alias = 0, lang = 0;
    for (auto& f : s.findings) {
      if (!f.aliases.empty()) ++with_alias;
      if (f.package.type == "python") {
        ++lang;
        CHECK(!f.package.path.empty());
      }
      CHECK(f.help_uri.starts_with("http"));
    }
    CHECK(with_alias > 0);
    CHECK(lang > 0);
  }

  TEST_CASE("fix state: fixed joins the versions and not-fixed leaves none") {
    auto fixed = ingest::parse_report(test::corpus("grype/dd-fix_available.json"));
    auto none = ingest::parse_report(test::corpus("grype/dd-fix_not_available.json"));
    REQUIRE(fixed);
    REQUIRE(none);
    auto& f = fixed->steps.at(0).findings.at(0);
    CHECK(!f.package.fixed_version.empty());
    CHECK(f.confidence == "cpe-match");
    CHECK(f.tool_severity == "High");
    CHECK(f.severity == model::Severity::High);
    CHECK(!f.message.empty());
    CHECK(none->steps.at(0).findings.at(0).package.fixed_version.empty());

    auto in = ingest::make_input("multi.json", R"({"matches":[{"vulnerability":{"id":"CVE-1","severity":"High",
      "fix":{"versions":["1.2.1","2.1.3"],"state":"fixed"}},"artifact":{"name":"p","version":"1"}},
      {"vulnerability":{"id":"CVE-2","severity":"High","fix":{"versions":["9"],"state":"wont-fix"}},
       "artifact":{"name":"p","version":"1"}}],"source":{"type":"image","target":"img:1"},
      "descriptor":{"name":"grype","version":"0.99.0","db":{"schemaVersion":"v6.0.2"}}})");
    auto r = ingest::parse_grype_json(in);
    REQUIRE(r);
    auto& s = r->steps.at(0);
    CHECK(s.findings.at(0).package.fixed_version == "1.2.1, 2.1.3");
    CHECK(s.findings.at(1).package.fixed_version.empty());
    CHECK(s.tool_version == "0.99.0");
    CHECK(s.findings.at(0).location.target == "img:1");
  }

  TEST_CASE("directory sources: the target is the scanned path") {
    auto dir = ingest::parse_report(test::corpus("grype/dd-many_vulns4-directory.json"));
    REQUIRE(dir);
    auto& s = dir->steps.at(0);
    CHECK(s.findings.size() == 9);
    for (auto& f : s.findings) CHECK(!f.location.target.empty());
    auto head = ingest::parse_report(test::corpus("grype/snap-head-json-dir.json"));
    REQUIRE(head);
    auto& f = head->steps.at(0).findings.at(0);
    CHECK(f.location.target == "/some/path");
    CHECK(f.rule_id == "CVE-1999-0001");
    CHECK(f.package.fixed_version == "1.2.1, 2.1.3, 3.4.0");
    CHECK(f.package.path.empty());  // an rpm: one record per image, its file is no package path
    CHECK(f.confidence == "exact-direct-match");
  }

  TEST_CASE("the same CVE at two paths is two findings with two fingerprints") {
    auto r = ingest::parse_report(test::corpus("grype/dd-same_cve_different_paths.json"));
    REQUIRE(r);
    auto& f = r->steps.at(0).findings;
    REQUIRE(f.size() == 2);
    CHECK(f[0].rule_id == f[1].rule_id);
    CHECK(f[0].location.layer != f[1].location.layer);
    CHECK(f[0].fingerprint != f[1].fingerprint);
  }

  TEST_CASE("GHSA ids keep their CVE as an alias and the GHSA page as help") {
    auto r = ingest::parse_report(test::corpus("grype/explain-ghsa-0.65.1.json"));
    REQUIRE(r);
    auto* f = find(r->steps.at(0), "GHSA-cfh5-3ghh-wfjx", "httpclient");
    REQUIRE(f);
    CHECK(std::find(f->aliases.begin(), f->aliases.end(), "CVE-2014-3577") != f->aliases.end());
    CHECK(f->help_uri == "https://github.com/advisories/GHSA-cfh5-3ghh-wfjx");
    CHECK(f->package.fixed_version == "4.3.5");
    CHECK(f->package.type == "java-archive");
    CHECK(!f->package.path.empty());
  }

  TEST_CASE("a report without matches is a clean grype step") {
    auto r = ingest::parse_report(test::corpus("grype/dd-no_vuln.json"));
    REQUIRE(r);
    CHECK(r->steps.at(0).findings.empty());
    CHECK(r->steps.at(0).status == model::StepStatus::Passed);
  }

  TEST_CASE("description falls back to the related vulnerability and is cut to about 1000 bytes") {
    std::string longtext(3000, 'x');
    auto in = ingest::make_input("d.json", R"({"matches":[{"vulnerability":{"id":"GHSA-1"},
      "relatedVulnerabilities":[{"id":"CVE-9","description":")" + longtext + R"("},{"id":"CVE-9"}],
      "artifact":{"name":"n","version":"1","type":"npm","locations":[{"path":"/app/package-lock.json"}]}}],
      "source":{"type":"directory","target":"."}})");
    auto r = ingest::parse_grype_json(in);
    REQUIRE(r);
    auto& f = r->steps.at(0).findings.at(0);
    CHECK(f.aliases == std::vector<std::string>{"CVE-9"});
    CHECK(f.message.size() > 900);
    CHECK(f.message.size() <= 1003);
    CHECK(f.severity == model::Severity::Unknown);
    CHECK(f.package.path == "/app/package-lock.json");
  }

  TEST_CASE("bad input names the file and where it breaks") {
    auto truncated = ingest::make_input("t.json", "{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\"");
    auto r1 = ingest::parse_grype_json(truncated);
    REQUIRE_FALSE(r1);
    CHECK(r1.error().kind == util::ErrorKind::Input);
    CHECK(r1.error().file == "t.json");

    auto shape = ingest::make_input("s.json", "{\n\"matches\": {\"a\": 1}\n}");
    auto r2 = ingest::parse_grype_json(shape);
    REQUIRE_FALSE(r2);
    CHECK(r2.error().line == 2);
    CHECK(r2.error().message.find("matches") != std::string::npos);

    auto noid = ingest::make_input("n.json", "{\"matches\": [\n {\"artifact\": {\"name\": \"x\"}}]}");
    auto r3 = ingest::parse_grype_json(noid);
    REQUIRE_FALSE(r3);
    CHECK(r3.error().line == 2);
    CHECK(r3.error().message.find("vulnerability id") != std::string::npos);

    auto other = ingest::make_input("o.json", "{\"results\": []}");
    CHECK_FALSE(ingest::parse_grype_json(other));
  }
}

TEST_SUITE("ingest.grype.risk") {
  // grype's own presenter snapshot (tests/data/corpus/grype, anchore/grype HEAD): CVE-1999-0001 has
  // an EPSS entry and a risk score, CVE-1999-0002 is known exploited (used by ransomware).
  TEST_CASE("epss knownExploited and risk from a real grype report are kept") {
    auto r = ingest::parse_report(test::corpus("grype/snap-head-json-image.json"), "grype");
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto& s = r->steps.at(0);
    auto* low = find(s, "CVE-1999-0001", "package-1");
    auto* crit = find(s, "CVE-1999-0002", "package-2");
    REQUIRE(low);
    REQUIRE(crit);
    CHECK(low->risk.epss == doctest::Approx(0.03));
    CHECK(low->risk.epss_percentile == doctest::Approx(0.42));
    CHECK(low->risk.epss_date.empty());  // grype writes Go's zero date "0001-01-01": no date
    CHECK_FALSE(low->risk.kev);
    CHECK(low->risk.risk == doctest::Approx(1.68));
    CHECK(crit->risk.kev);
    CHECK(crit->risk.kev_ransomware == "Known");
    CHECK(crit->risk.kev_added.empty());
    CHECK(crit->risk.epss == doctest::Approx(0.08));
    CHECK(crit->risk.epss_percentile == doctest::Approx(0.53));
    CHECK(crit->risk.risk == doctest::Approx(96.25));
  }

  TEST_CASE("a full knownExploited entry keeps its dates and action and the likeliest epss wins") {
    // The snapshot's match with the KEV entry written out as grype's database gives it
    // (db v6 KnownExploitedVulnerability: dateAdded, dueDate, requiredAction, urls, cwes).
    std::string text = test::read(test::corpus("grype/snap-head-json-image.json"));
    const std::string kev = "\"knownRansomwareCampaignUse\": \"Known\"";
    auto at = text.find(kev);
    REQUIRE(at != std::string::npos);
    text.replace(at, kev.size(),
                 "\"vendorProject\": \"anchore\", \"product\": \"engine\", \"dateAdded\": \"2024-05-01\", "
                 "\"requiredAction\": \"Apply updates per vendor instructions.\", \"dueDate\": \"2024-05-22\", "
                 "\"knownRansomwareCampaignUse\": \"Known\", \"urls\": [\"https://example.org\"], \"cwes\": [\"CWE-94\"]");
    const std::string epss = "\"epss\": 0.08,\n      \"percentile\": 0.53,\n      \"date\": \"0001-01-01\"\n     }";
    at = text.find(epss);
    REQUIRE(at != std::string::npos);
    text.insert(at + epss.size(), ", {\"cve\": \"CVE-1999-0003\", \"epss\": 0.5, \"percentile\": 0.97, \"date\": \"2025-11-30\"}");
    auto r = ingest::parse_grype_json(ingest::make_input("grype.json", text));
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    auto* crit = find(r->steps.at(0), "CVE-1999-0002", "package-2");
    REQUIRE(crit);
    CHECK(crit->risk.kev);
    CHECK(crit->risk.kev_added == "2024-05-01");
    CHECK(crit->risk.kev_due == "2024-05-22");
    CHECK(crit->risk.kev_action == "Apply updates per vendor instructions.");
    CHECK(crit->risk.epss == doctest::Approx(0.5));
    CHECK(crit->risk.epss_percentile == doctest::Approx(0.97));
    CHECK(crit->risk.epss_date == "2025-11-30");
  }

  TEST_CASE("older grype reports without these fields have no risk data") {
    auto r = ingest::parse_report(test::corpus("grype/snap-v0.74.0-json-image.json"), "grype");
    REQUIRE(r);
    for (auto& f : r->steps.at(0).findings) CHECK_FALSE(f.risk.any());
  }
}
