#include "src/app/vex_file.hpp"

#include "src/app/waivers_file.hpp"
#include "tests/support.hpp"

using namespace dg;
using policy::VexStatus;

namespace {

std::string vex(const std::string& name) { return test::data("vex/" + name).string(); }

// Writes `text` as a file and loads it: the error must name that file and the position.
util::Error error_of(const std::string& text) {
  test::TempDir dir;
  test::write(dir / "doc.json", text);
  auto v = app::load_vex(dir / "doc.json");
  REQUIRE_FALSE(v);
  CHECK(v.error().kind == util::ErrorKind::Input);
  CHECK(v.error().file == (dir / "doc.json").string());
  return v.error();
}

constexpr const char* kOpenVexHead = R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "a",
  "timestamp": "2024-05-02T09:00:00Z",
  "version": 1,
  "statements": [
)";

}  // namespace

TEST_SUITE("app.vex_file") {
  TEST_CASE("OpenVEX: products subcomponents statuses and timestamps") {
    auto v = app::load_vex(vex("openvex-vulnerable-image.json"));
    REQUIRE_MESSAGE(v, v.error().to_string());
    REQUIRE(v->size() == 6);
    auto& glibc = (*v)[0];
    CHECK(glibc.vulnerability == "CVE-2021-33574");
    CHECK(glibc.status == VexStatus::NotAffected);
    CHECK(glibc.justification == "vulnerable_code_not_in_execute_path");
    CHECK(glibc.impact == "mq_notify is never called: the service uses no POSIX message queues");
    CHECK(glibc.author == "Platform Security <security@example.com>");
    CHECK(glibc.source == vex("openvex-vulnerable-image.json") + ":11");
    REQUIRE(glibc.subjects.size() == 2);
    CHECK(glibc.subjects[0].purl == "pkg:deb/debian/libc6@2.28-10?arch=amd64");
    CHECK(glibc.subjects[0].within == "pkg:oci/vulnerable-image?tag=latest");
    CHECK(glibc.subjects[1].purl == "pkg:deb/debian/libc-bin@2.28-10?arch=amd64");
    CHECK(glibc.time == 1714640400);  // 2024-05-02T09:00:00Z
    CHECK((*v)[1].time == 1713627000);  // 2024-04-20T15:30:00Z: older, though read later
    CHECK((*v)[1].status == VexStatus::UnderInvestigation);
    CHECK((*v)[1].notes == "triage opened before the analysis above; superseded by it");
    auto& whole = (*v)[2];
    REQUIRE(whole.subjects.size() == 1);
    CHECK(whole.subjects[0].image == "pkg:oci/vulnerable-image?tag=latest");
    CHECK(whole.subjects[0].purl.empty());
    CHECK(whole.time == 1714640400);  // the document's time
    CHECK((*v)[3].status == VexStatus::Fixed);
    CHECK((*v)[3].aliases == std::vector<std::string>{"GHSA-v6rh-hp5x-86rv"});
    CHECK((*v)[4].status == VexStatus::Affected);
    CHECK((*v)[4].action == "remove krb5 from the runtime stage (ticket SEC-1432)");
    CHECK((*v)[4].subjects[0].purl == "pkg:deb/debian/libgssapi-krb5-2");
  }

  TEST_CASE("CycloneDX VEX: bom-refs BOM-Links ranges and states") {
    auto v = app::load_vex(vex("cyclonedx-alpine-310.json"));
    REQUIRE_MESSAGE(v, v.error().to_string());
    REQUIRE(v->size() == 2);
    auto& ssl = (*v)[0];
    CHECK(ssl.vulnerability == "CVE-2019-1549");
    CHECK(ssl.status == VexStatus::NotAffected);
    CHECK(ssl.justification == "requires_configuration");
    CHECK(ssl.impact == "the service never forks after seeding the RNG");
    CHECK(ssl.author == "Example Corp");
    CHECK(ssl.time == 1718124300);  // analysis.lastUpdated 2024-06-11T16:45:00Z
    REQUIRE(ssl.subjects.size() == 1);
    CHECK(ssl.subjects[0].purl == "pkg:apk/alpine/libssl1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2");
    CHECK(ssl.subjects[0].ranges == std::vector<std::string>{"vers:apk/>=1.1.1|<1.1.1d-r0"});
    auto& crypto = (*v)[1];
    CHECK(crypto.status == VexStatus::Affected);  // exploitable
    CHECK(crypto.action == "update: upgrade to 1.1.1d-r2 with the next base image");
    CHECK(crypto.subjects[0].purl == "pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2");
    CHECK(crypto.time == 1718013600);  // no analysis time: the BOM's 2024-06-10T10:00:00Z
  }

  TEST_CASE("CycloneDX VEX: the BOM's own component is the image") {
    auto v = app::load_vex(vex("cyclonedx-debian-buster.json"));
    REQUIRE_MESSAGE(v, v.error().to_string());
    REQUIRE(v->size() == 3);
    CHECK((*v)[0].aliases == std::vector<std::string>{"DLA-1965-1"});
    CHECK((*v)[1].status == VexStatus::UnderInvestigation);
    CHECK((*v)[1].notes == "checking whether any setuid binary runs bash");
    REQUIRE((*v)[1].subjects.size() == 1);
    CHECK((*v)[1].subjects[0].image == "testdata/fixtures/images/debian-buster.tar.gz");
    CHECK((*v)[2].subjects[0].versions == std::vector<std::string>{"2.0.5-1+deb10u1"});
  }

  TEST_CASE("CycloneDX VEX: a version listed as affected is never waived by a not_affected analysis") {
    test::TempDir dir;
    test::write(dir / "v.json", R"({ "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "vulnerabilities": [
    { "id": "CVE-2023-0464", "analysis": { "state": "not_affected", "justification": "code_not_reachable" },
      "affects": [ { "ref": "pkg:deb/debian/libssl1.1",
                     "versions": [ { "range": "vers:deb/<1.1.1n-0+deb11u5", "status": "affected" },
                                   { "version": "1.1.1n-0+deb11u5", "status": "unaffected" } ] },
                   { "ref": "pkg:deb/debian/openssl", "versions": [ { "range": "vers:deb/*", "status": "affected" } ] } ] },
    { "id": "CVE-2023-0465", "analysis": { "state": "exploitable" },
      "affects": [ { "ref": "pkg:deb/debian/libssl1.1",
                     "versions": [ { "range": "vers:deb/<1.1.1n-0+deb11u5", "status": "affected" },
                                   { "version": "1.1.1n-0+deb11u5", "status": "unaffected" } ] } ] } ] })");
    auto v = app::load_vex(dir / "v.json");
    REQUIRE_MESSAGE(v, v.error().to_string());
    REQUIRE(v->size() == 2);
    REQUIRE((*v)[0].subjects.size() == 1);  // openssl: every version it lists is affected
    CHECK((*v)[0].subjects[0].versions == std::vector<std::string>{"1.1.1n-0+deb11u5"});
    CHECK((*v)[0].subjects[0].ranges.empty());
    REQUIRE((*v)[1].subjects.size() == 1);
    CHECK((*v)[1].subjects[0].ranges == std::vector<std::string>{"vers:deb/<1.1.1n-0+deb11u5"});
    CHECK((*v)[1].subjects[0].versions.empty());

    test::write(dir / "bad.json", R"({ "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "vulnerabilities": [ { "id": "CVE-1", "analysis": { "state": "not_affected" },
    "affects": [ { "ref": "pkg:deb/debian/a", "versions": [ { "version": "1.0", "status": "fine" } ] } ] } ] })");
    auto bad = app::load_vex(dir / "bad.json");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().line == 3);
  }

  TEST_CASE("RFC 3339 times with offsets and fractions") {
    CHECK(app::parse_rfc3339("2024-05-02T09:00:00Z") == 1714640400);
    CHECK(app::parse_rfc3339("2024-05-02T11:00:00.123+02:00") == 1714640400);
    CHECK(app::parse_rfc3339("2024-05-02") == 1714608000);
    CHECK_FALSE(app::parse_rfc3339("2024-05-02T09:00:00"));
    CHECK_FALSE(app::parse_rfc3339("yesterday"));
  }

  TEST_CASE("bad VEX input: file line and column of the field") {
    auto bad_status = error_of(std::string(kOpenVexHead) + R"(    { "vulnerability": { "name": "CVE-1" },
      "products": [ { "@id": "pkg:deb/debian/a" } ],
      "status": "not_afected" } ] })");
    CHECK(bad_status.line == 10);
    CHECK(bad_status.column == 17);
    CHECK(bad_status.message.find("not_afected") != std::string::npos);

    auto no_justification = error_of(std::string(kOpenVexHead) + R"(    { "vulnerability": { "name": "CVE-1" },
      "products": [ { "@id": "pkg:deb/debian/a" } ],
      "status": "not_affected" } ] })");
    CHECK(no_justification.line == 10);
    CHECK(no_justification.message.find("justification or an impact_statement") != std::string::npos);

    auto bad_time = error_of(std::string(kOpenVexHead) + R"(    { "vulnerability": { "name": "CVE-1" }, "timestamp": "May 2nd",
      "products": [ { "@id": "pkg:deb/debian/a" } ], "status": "fixed" } ] })");
    CHECK(bad_time.line == 8);
    CHECK(bad_time.message.find("RFC 3339") != std::string::npos);

    auto syntax = error_of(std::string(kOpenVexHead) + "    { \"vulnerability\": \n");
    CHECK(syntax.line > 0);

    auto bad_range = error_of(R"({ "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "vulnerabilities": [ { "id": "CVE-1", "analysis": { "state": "not_affected" },
    "affects": [ { "ref": "pkg:deb/debian/a", "versions": [ { "range": ">=1.0|<2.0" } ] } ] } ] })");
    CHECK(bad_range.line == 3);
    CHECK(bad_range.message.find("vers:") != std::string::npos);

    auto bad_ref = error_of(R"({ "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "vulnerabilities": [ { "id": "CVE-1", "analysis": { "state": "resolved" },
    "affects": [ { "ref": "component-7" } ] } ] })");
    CHECK(bad_ref.line == 3);
    CHECK(bad_ref.message.find("component-7") != std::string::npos);

    auto bad_state = error_of(R"({ "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "vulnerabilities": [ { "id": "CVE-1", "analysis": { "state": "not_exploitable" },
    "affects": [ { "ref": "pkg:deb/debian/a" } ] } ] })");
    CHECK(bad_state.line == 2);

    auto vdr = error_of(R"({ "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "vulnerabilities": [ { "id": "CVE-1", "affects": [ { "ref": "pkg:deb/debian/a" } ] } ] })");
    CHECK(vdr.message.find("not VEX") != std::string::npos);

    auto old = error_of(R"({ "bomFormat": "CycloneDX", "specVersion": "1.3", "version": 1, "components": [] })");
    CHECK(old.message.find("1.4 to 1.6") != std::string::npos);
  }

  TEST_CASE("a report or a waiver file given to --vex says what it is") {
    auto report = app::load_vex(test::corpus("trivy/golden-alpine-310.json"));
    REQUIRE_FALSE(report);
    CHECK(report.error().kind == util::ErrorKind::Input);
    CHECK(report.error().message.find("not a VEX document") != std::string::npos);
    auto waivers = app::load_vex(test::data("policy/waivers/dockgate-waivers.yml"));
    REQUIRE_FALSE(waivers);
    CHECK(waivers.error().message.find("pass it with --waivers") != std::string::npos);
  }

  TEST_CASE("a VEX document given to --waivers is refused and pointed to --vex") {
    auto open = app::load_waivers(vex("openvex-vulnerable-image.json"));
    REQUIRE_FALSE(open);
    CHECK(open.error().kind == util::ErrorKind::Usage);
    CHECK(open.error().message.find("pass it with --vex") != std::string::npos);
    CHECK(open.error().line == 1);
    // Read as a .trivyignore.yaml before, it waived CVE-2019-1549 in libcrypto1.1 too.
    auto cdx = app::load_waivers(vex("cyclonedx-alpine-310.json"));
    REQUIRE_FALSE(cdx);
    CHECK(cdx.error().message.find("--vex") != std::string::npos);
  }
}
