#include "src/policy/vex.hpp"

#include "src/policy/gate.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;
using policy::VexStatement;
using policy::VexStatus;
using policy::VexSubject;

namespace {

// The alpine 3.10 packages of trivy's golden report: the same CVE in libssl1.1 and libcrypto1.1.
model::Finding apk(const std::string& id, const std::string& pkg) {
  auto f = pt::vuln("trivy", id, pkg, "1.1.1c-r0", Severity::Medium, "1.1.1d-r0");
  f.package.purl = "pkg:apk/alpine/" + pkg + "@1.1.1c-r0?arch=x86_64&distro=3.10.2";
  f.package.type = "alpine";
  f.location.target = "registry.example.com/team/app:1.4 (alpine 3.10.2)";
  return f;
}

VexStatement statement(const std::string& id, VexStatus status, std::vector<VexSubject> subjects) {
  VexStatement st;
  st.vulnerability = id;
  st.status = status;
  st.justification = "vulnerable_code_not_in_execute_path";
  st.subjects = std::move(subjects);
  st.author = "security@example.com";
  st.source = "vex.json:7";
  return st;
}

VexSubject package(const std::string& purl) {
  VexSubject s;
  s.purl = purl;
  return s;
}

VexSubject image(const std::string& ref) {
  VexSubject s;
  s.image = ref;
  return s;
}

model::Run alpine_run() {
  return pt::run_of({pt::step("trivy", {apk("CVE-2019-1549", "libssl1.1"), apk("CVE-2019-1549", "libcrypto1.1"),
                                        apk("CVE-2019-1551", "libssl1.1")})});
}

}  // namespace

TEST_SUITE("policy.vex") {
  TEST_CASE("parse_purl: type namespace name and a percent-decoded version") {
    auto p = policy::parse_purl("pkg:deb/debian/libidn2-0@2.0.5-1%2Bdeb10u1?arch=amd64&distro=debian-10.1");
    REQUIRE(p);
    CHECK(p->type == "deb");
    CHECK(p->ns == "debian");
    CHECK(p->name == "libidn2-0");
    CHECK(p->version == "2.0.5-1+deb10u1");
    auto npm = policy::parse_purl("pkg:npm/@angular/core");
    REQUIRE(npm);
    CHECK(npm->ns == "@angular");
    CHECK(npm->name == "core");
    CHECK(npm->version.empty());
    auto oci = policy::parse_purl("pkg:oci/app@sha256%3Aabc?repository_url=ghcr.io/o/app");
    REQUIRE(oci);
    CHECK(oci->version == "sha256:abc");
    CHECK_FALSE(policy::parse_purl("ghcr.io/o/app:1.2"));
    CHECK_FALSE(policy::parse_purl("pkg:deb"));
  }

  TEST_CASE("compare_versions: Debian order with epochs and tildes") {
    CHECK(policy::compare_versions("deb", "2.0.5-1", "2.0.5-1+deb10u1") < 0);
    CHECK(policy::compare_versions("deb", "1:1.0", "2.0") > 0);
    CHECK(policy::compare_versions("deb", "1.0~rc1-1", "1.0-1") < 0);
    CHECK(policy::compare_versions("deb", "1.1.1n-0+deb11u3", "1.1.1n-0+deb11u3") == 0);
    CHECK(policy::compare_versions("deb", "1.10", "1.9") > 0);
    CHECK(policy::compare_versions("apk", "1.1.1c-r0", "1.1.1d-r0") < 0);
    CHECK(policy::compare_versions("npm", "1.0.0-rc.1", "1.0.0") < 0);
    CHECK(policy::compare_versions("golang", "v1.2.10", "v1.2.9") > 0);
    CHECK(policy::compare_versions("rpm", "1:3.79.0-17.el9_1", "3.80.0-1.el9") > 0);
    // Versions come from scanners and documents: an epoch no number holds is not an exception.
    CHECK(policy::compare_versions("deb", "99999999999999999999999:1.0", "1:1.0") > 0);
    CHECK(policy::compare_versions("deb", "", "1.0") < 0);
  }

  TEST_CASE("vers ranges: intervals equalities and star") {
    CHECK(policy::in_vers("vers:deb/>=2.0.0|<2.0.5-1+deb10u1", "2.0.5-1"));
    CHECK_FALSE(policy::in_vers("vers:deb/>=2.0.0|<2.0.5-1+deb10u1", "2.0.5-1+deb10u1"));
    CHECK_FALSE(policy::in_vers("vers:deb/>=2.0.0|<2.0.5-1+deb10u1", "1.9-1"));
    CHECK(policy::in_vers("vers:apk/>=1.1.1|<1.1.1d-r0", "1.1.1c-r0"));
    CHECK(policy::in_vers("vers:npm/1.0.0|2.0.0", "2.0.0"));
    CHECK_FALSE(policy::in_vers("vers:npm/1.0.0|2.0.0", "1.5.0"));
    CHECK(policy::in_vers("vers:deb/*", "anything"));
    CHECK(policy::in_vers("vers:npm/!=1.0.0", "1.0.1"));
    CHECK_FALSE(policy::in_vers("vers:npm/!=1.0.0", "1.0.0"));
    CHECK(policy::in_vers("vers:pypi/<1.0|>=2.0", "2.1"));
    CHECK_FALSE(policy::in_vers("vers:pypi/<1.0|>=2.0", "1.5"));
    CHECK(policy::check_vers("vers:deb/>=1.1.1|<1.1.1n").empty());
    CHECK_FALSE(policy::check_vers(">=1.1.1").empty());
    CHECK_FALSE(policy::check_vers("vers:deb/>=1.0||<2").empty());
    CHECK_FALSE(policy::check_vers("vers:deb/>=").empty());
  }

  TEST_CASE("a statement for libssl1.1 never silences libcrypto1.1") {
    auto run = alpine_run();
    auto out = policy::apply_vex(
        run, {statement("CVE-2019-1549", VexStatus::NotAffected, {package("pkg:apk/alpine/libssl1.1@1.1.1c-r0")})});
    auto& f = run.steps[0].findings;
    CHECK(out.suppressed == 1);
    REQUIRE(f[0].waiver);
    CHECK(f[0].waiver->reason == "VEX not_affected: vulnerable_code_not_in_execute_path");
    CHECK(f[0].waiver->owner == "security@example.com");
    CHECK(f[0].waiver->source == "vex.json:7");
    CHECK_FALSE(f[1].waiver);  // libcrypto1.1, same CVE
    CHECK_FALSE(f[2].waiver);  // libssl1.1, another CVE
  }

  TEST_CASE("purl versions and ranges decide which installed versions a statement covers") {
    auto run = alpine_run();
    auto other_version = package("pkg:apk/alpine/libssl1.1@1.1.1d-r0");
    auto range = package("pkg:apk/alpine/libcrypto1.1");
    range.ranges = {"vers:apk/>=1.1.1|<1.1.1d-r0"};
    auto exact = package("pkg:apk/alpine/libssl1.1");
    exact.versions = {"1.1.1b-r1"};
    policy::apply_vex(run, {statement("CVE-2019-1549", VexStatus::NotAffected, {other_version, range}),
                            statement("CVE-2019-1551", VexStatus::Fixed, {exact})});
    auto& f = run.steps[0].findings;
    CHECK_FALSE(f[0].waiver);  // libssl1.1 1.1.1c-r0 is not 1.1.1d-r0
    CHECK(f[1].waiver);        // libcrypto1.1 1.1.1c-r0 is in the range
    CHECK_FALSE(f[2].waiver);  // the exact version listed is another one
    REQUIRE(run.waiver_notices.size() == 1);
    CHECK(run.waiver_notices[0].id == "CVE-2019-1551 for pkg:apk/alpine/libssl1.1");
    CHECK(run.waiver_notices[0].state == "stale");
  }

  TEST_CASE("the image as product covers every package found in it and no other image") {
    auto run = alpine_run();
    policy::apply_vex(run, {statement("CVE-2019-1549", VexStatus::NotAffected,
                                      {image("pkg:oci/app@sha256%3Aabc?repository_url=registry.example.com/team/app&tag=1.4")}),
                            statement("CVE-2019-1551", VexStatus::NotAffected, {image("pkg:oci/app?tag=1.3")})});
    auto& f = run.steps[0].findings;
    CHECK(f[0].waiver);
    CHECK(f[1].waiver);
    CHECK_FALSE(f[2].waiver);  // the statement is about tag 1.3
    // A plain image name matches too; with no target on the finding, the run's image counts.
    auto plain = alpine_run();
    for (auto& x : plain.steps[0].findings) x.location.target.clear();
    policy::apply_vex(plain, {statement("CVE-2019-1551", VexStatus::NotAffected, {image("registry.example.com/team/app:1.4")})},
                      "registry.example.com/team/app:1.4");
    CHECK(plain.steps[0].findings[2].waiver);
  }

  TEST_CASE("a subcomponent of another image does not match") {
    auto run = alpine_run();
    auto sub = package("pkg:apk/alpine/libssl1.1");
    sub.within = "pkg:oci/other-app?tag=1.4";
    policy::apply_vex(run, {statement("CVE-2019-1549", VexStatus::NotAffected, {sub})});
    CHECK_FALSE(run.steps[0].findings[0].waiver);
  }

  TEST_CASE("ids match through aliases on either side and in any case") {
    auto f = pt::vuln("grype", "GHSA-v6rh-hp5x-86rv", "Django", "3.2.9", Severity::High, "3.2.10", {"CVE-2021-44420"});
    f.package.purl = "pkg:pypi/Django@3.2.9";
    auto run = pt::run_of({pt::step("grype", {f, f})});
    auto by_cve = statement("cve-2021-44420", VexStatus::Fixed, {package("pkg:pypi/django@3.2.9")});
    auto by_alias = statement("CVE-0000-0001", VexStatus::Fixed, {package("pkg:pypi/django")});
    by_alias.aliases = {"ghsa-v6rh-hp5x-86rv"};
    policy::apply_vex(run, {by_cve});
    CHECK(run.steps[0].findings[0].waiver);
    auto run2 = pt::run_of({pt::step("grype", {f})});
    policy::apply_vex(run2, {by_alias});
    CHECK(run2.steps[0].findings[0].waiver);
  }

  TEST_CASE("the latest statement per vulnerability and product wins") {
    auto older = statement("CVE-2019-1549", VexStatus::NotAffected, {package("pkg:apk/alpine/libssl1.1")});
    older.time = 1'700'000'000;
    auto newer = statement("CVE-2019-1549", VexStatus::Affected, {package("pkg:apk/alpine/libssl1.1")});
    newer.time = 1'710'000'000;
    newer.action = "upgrade to 1.1.1d-r0";
    auto run = alpine_run();
    policy::apply_vex(run, {newer, older});  // order of reading does not matter, time does
    auto& f = run.steps[0].findings[0];
    CHECK_FALSE(f.waiver);
    CHECK(f.message.find("VEX affected: upgrade to 1.1.1d-r0") != std::string::npos);
    CHECK(f.title.find("[VEX: affected]") != std::string::npos);
    CHECK(run.waiver_notices.empty());  // the older one matched too: not stale
  }

  TEST_CASE("under_investigation keeps the finding counting and shows the note") {
    auto st = statement("CVE-2019-1551", VexStatus::UnderInvestigation, {package("pkg:apk/alpine/libssl1.1")});
    st.notes = "reachability analysis running";
    auto run = alpine_run();
    policy::GateInputs in;
    in.vex = {st};
    in.policy.fail_on = Severity::Medium;
    policy::gate(run, in);
    auto& f = run.steps[0].findings[2];
    CHECK_FALSE(f.waiver);
    CHECK(f.gating);
    CHECK(f.message.find("VEX under_investigation: reachability analysis running (vex.json:7)") != std::string::npos);
    CHECK(run.verdict == model::Verdict::Fail);
    // Gating the same result again with the same document does not repeat the note.
    policy::gate(run, in);
    auto note = std::string("VEX under_investigation");
    CHECK(f.message.find(note) == f.message.rfind(note));
  }

  TEST_CASE("not_affected changes the verdict through the gate and stale statements do not fail strict-waivers") {
    auto run = alpine_run();
    policy::GateInputs in;
    in.policy.fail_on = Severity::Medium;
    in.strict_waivers = true;
    in.vex = {statement("CVE-2019-1549", VexStatus::NotAffected,
                        {package("pkg:apk/alpine/libssl1.1"), package("pkg:apk/alpine/libcrypto1.1")}),
              statement("CVE-2019-1551", VexStatus::Fixed, {package("pkg:apk/alpine/libssl1.1")}),
              statement("CVE-2023-0464", VexStatus::NotAffected, {package("pkg:apk/alpine/libssl3")})};
    policy::gate(run, in);
    CHECK(run.verdict == model::Verdict::Pass);
    for (auto& f : run.steps[0].findings) {
      CHECK_FALSE(f.gating);
      CHECK(f.why_not == "waived");
    }
    REQUIRE(run.waiver_notices.size() == 1);
    CHECK(run.waiver_notices[0].id == "CVE-2023-0464 for pkg:apk/alpine/libssl3");
    CHECK(policy::is_vex(run.waiver_notices[0]));
  }

  TEST_CASE("a waiver of the user's own stays and a new VEX document replaces the old decisions") {
    auto run = alpine_run();
    policy::GateInputs in;
    policy::WaiverRule w;
    w.id = "CVE-2019-1549";
    w.package = "libssl1.1";
    w.reason = "accepted until the base image moves";
    w.source = "w.yml:2";
    in.waivers = {w};
    in.vex = {statement("CVE-2019-1549", VexStatus::NotAffected, {package("pkg:apk/alpine/libssl1.1"),
                                                                  package("pkg:apk/alpine/libcrypto1.1")})};
    policy::gate(run, in);
    auto& f = run.steps[0].findings;
    CHECK(f[0].waiver->reason == "accepted until the base image moves");
    CHECK(policy::is_vex(*f[1].waiver));
    // Gated again with another document only: the old VEX decision goes, the waiver stays.
    policy::GateInputs again;
    again.vex = {statement("CVE-2019-1551", VexStatus::NotAffected, {package("pkg:apk/alpine/libssl1.1")})};
    policy::gate(run, again);
    CHECK(f[0].waiver->reason == "accepted until the base image moves");
    CHECK_FALSE(f[1].waiver);
    CHECK(f[2].waiver);
  }
}
