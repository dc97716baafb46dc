// dockgate gate --vex end to end: the verdict, the exit code and every writer that shows waivers.
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace dg;

namespace {

std::string vex(const std::string& name) { return test::data("vex/" + name).string(); }
// grype on vulnerable-image:latest: CVE-2021-33574 (critical) in libc6 and its sibling libc-bin,
// Django and redis (high), krb5 (negligible).
std::string grype_report() { return test::corpus("grype/dd-check_all_fields.json").string(); }

}  // namespace

TEST_SUITE("app.vex") {
  TEST_CASE("gate --vex: not_affected and fixed statements turn a failing image green") {
    auto before = test::cli({"gate", grype_report(), "--color", "never"});
    CHECK(before.code == 1);
    CHECK(before.err.find("CVE-2021-33574") != std::string::npos);

    test::TempDir tmp;
    auto after = test::cli({"gate", grype_report(), "--vex", vex("openvex-vulnerable-image.json"), "--color", "never",
                            "--json", (tmp / "r.json").string(), "--sarif", (tmp / "r.sarif").string(), "--junit",
                            (tmp / "r.xml").string(), "--markdown", (tmp / "r.md").string()});
    CHECK_MESSAGE(after.code == 0, after.err);
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json", tmp / "r.json") == "");

    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    std::size_t waived = 0;
    for (auto& f : j["steps"][0]["findings"]) {
      std::string id = f["rule_id"];
      if (id == "CVE-2004-0971") {  // affected: counts (negligible), carries the action
        CHECK_FALSE(f.contains("waiver"));
        CHECK(f["message"].get<std::string>().find("VEX affected: remove krb5 from the runtime stage") !=
              std::string::npos);
        continue;
      }
      REQUIRE(f.contains("waiver"));
      CHECK(f["why_not"] == "waived");
      CHECK(f["waiver"]["reason"].get<std::string>().starts_with("VEX "));
      ++waived;
    }
    CHECK(waived == 5);  // libc6, libc-bin, redis (image-level), Django twice (fixed, by its CVE alias)
    bool stale = false;
    for (auto& n : j["waiver_notices"])
      stale = stale || (n["state"] == "stale" && n["id"].get<std::string>().starts_with("CVE-2023-0464"));
    CHECK(stale);

    auto sarif = nlohmann::json::parse(test::read(tmp / "r.sarif"));
    bool found = false;
    for (auto& r : sarif["runs"][0]["results"]) {
      if (r["ruleId"] != "CVE-2021-33574") continue;
      found = true;
      REQUIRE(r.contains("suppressions"));
      CHECK(r["suppressions"][0]["kind"] == "external");
      CHECK(r["suppressions"][0]["justification"].get<std::string>() ==
            "VEX not_affected: vulnerable_code_not_in_execute_path - mq_notify is never called: the service uses no "
            "POSIX message queues");
    }
    CHECK(found);
    auto junit = test::read(tmp / "r.xml");
    CHECK(junit.find("<skipped") != std::string::npos);
    CHECK(junit.find("CVE-2021-33574: waived:") != std::string::npos);
    auto md = test::read(tmp / "r.md");
    CHECK(md.find("VEX not\\_affected: vulnerable\\_code\\_not\\_in\\_execute\\_path") != std::string::npos);
    // The stale statement, without the advice to remove it: the document speaks for other images too.
    CHECK(md.find("**stale** CVE-2023-0464 for pkg:deb/debian/libssl1.1: it matches no finding in this run") !=
          std::string::npos);
  }

  TEST_CASE("gate --vex: a statement for libc6 leaves its sibling libc-bin failing") {
    test::TempDir tmp;
    auto r = test::cli({"gate", grype_report(), "--vex", vex("openvex-libc6-only.json"), "--color", "never", "--json",
                        (tmp / "r.json").string()});
    CHECK(r.code == 1);
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    std::vector<std::string> gating;
    for (auto& f : j["steps"][0]["findings"])
      if (f["gating"] == true) gating.push_back(f["package"]["name"].get<std::string>() + " " + f["rule_id"].get<std::string>());
    CHECK(gating == std::vector<std::string>{"libc-bin CVE-2021-33574"});
  }

  TEST_CASE("vex: in dockgate.yml and --vex repeatable with CycloneDX documents") {
    test::TempDir tmp;
    auto buster = test::corpus("trivy/golden-debian-buster.json").string();
    // Critical CVE-2019-18224 in libidn2-0 2.0.5-1: within the not_affected range.
    CHECK(test::cli({"gate", buster, "--fail-on", "high"}).code == 1);
    test::write(tmp / "dockgate.yml", "vex:\n  - " + vex("cyclonedx-debian-buster.json") + "\n");
    auto cfg = test::cli({"gate", buster, "--fail-on", "high", "-c", (tmp / "dockgate.yml").string(), "--json",
                          (tmp / "r.json").string()});
    CHECK_MESSAGE(cfg.code == 0, cfg.err);
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    for (auto& f : j["steps"][0]["findings"]) {
      if (f["rule_id"] == "CVE-2019-18276")  // bash: in_triage for the whole image, still counted
        CHECK(f["message"].get<std::string>().find("VEX under_investigation: checking whether any setuid binary runs bash") !=
              std::string::npos);
    }
    // --vex replaces vex: of dockgate.yml, and takes several documents.
    auto alpine = test::corpus("trivy/golden-alpine-310.json").string();
    auto two = test::cli({"gate", alpine, "--fail-on", "medium", "-c", (tmp / "dockgate.yml").string(), "--vex",
                          vex("cyclonedx-alpine-310.json"), "--vex", vex("openvex-libc6-only.json"), "--json",
                          (tmp / "a.json").string()});
    CHECK(two.code == 1);  // libcrypto1.1 keeps CVE-2019-1549; CVE-2019-1551 is exploitable
    auto a = nlohmann::json::parse(test::read(tmp / "a.json"));
    std::size_t waived = 0;
    for (auto& f : a["steps"][0]["findings"]) waived += f.contains("waiver");
    CHECK(waived == 1);  // libssl1.1 CVE-2019-1549 only
    CHECK(a["waiver_notices"].size() == 3);  // the three statements of openvex-libc6-only.json
  }

  TEST_CASE("a VEX document given as a report is an input error that points to --vex") {
    for (auto* name : {"cyclonedx-alpine-310.json", "openvex-vulnerable-image.json"}) {
      auto r = test::cli({"gate", vex(name)});
      CHECK(r.code == 3);
      CHECK_MESSAGE(r.err.find("this is a VEX document, pass it with --vex") != std::string::npos, r.err);
    }
  }

  TEST_CASE("bad VEX input exits 3 with file line and column") {
    test::TempDir tmp;
    test::write(tmp / "bad.json", R"({ "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "vulnerabilities": [ { "id": "CVE-2019-1549", "analysis": { "state": "not_affected" },
    "affects": [ { "ref": "pkg:apk/alpine/libssl1.1", "versions": [ { "range": "vers:apk/>=1.1.1||<1.1.1d" } ] } ] } ] })");
    auto r = test::cli({"gate", test::corpus("trivy/golden-alpine-310.json").string(), "--vex", (tmp / "bad.json").string()});
    CHECK(r.code == 3);
    CHECK_MESSAGE(r.err.find((tmp / "bad.json").string() + ":3:") != std::string::npos, r.err);
    auto w = test::cli({"gate", test::corpus("trivy/golden-alpine-310.json").string(), "--waivers",
                        vex("openvex-vulnerable-image.json")});
    CHECK(w.code == 2);
    CHECK(w.err.find("pass it with --vex") != std::string::npos);
  }

  TEST_CASE("the binary: gate --vex changes the exit code") {
    auto before = test::run_process({test::dockgate_binary(), "gate", grype_report(), "-q"});
    CHECK(before.code == 1);
    auto after = test::run_process(
        {test::dockgate_binary(), "gate", grype_report(), "-q", "--vex", vex("openvex-vulnerable-image.json")});
    CHECK_MESSAGE(after.code == 0, after.err);
  }
}
