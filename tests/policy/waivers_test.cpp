#include "src/policy/waivers.hpp"

#include "src/model/fingerprint.hpp"
#include "tests/policy/make.hpp"
#include "tests/support.hpp"

using namespace dg;
using model::Severity;
using policy::WaiverRule;

namespace {

WaiverRule rule(void (*set)(WaiverRule&)) {
  WaiverRule w;
  w.reason = "accepted";
  w.source = "w.yml:1";
  set(w);
  return w;
}

model::Finding sample_vuln() {
  auto f = pt::vuln("grype", "GHSA-gq9m-qvpx-68hc", "Werkzeug", "0.11", Severity::High, "0.15.3", {"CVE-2019-14806"});
  f.package.purl = "pkg:pypi/werkzeug@0.11";
  f.package.type = "python";
  f.package.path = "/usr/lib/python3.7/site-packages/Werkzeug-0.11.dist-info/METADATA";
  f.fingerprint = "abc123:2";
  return f;
}

}  // namespace

TEST_SUITE("policy.waivers") {
  TEST_CASE("matching table: each key on its own and together") {
    struct Row {
      const char* name;
      WaiverRule w;
      bool hit;
    };
    const Row rows[] = {
        {"id = rule id", rule([](WaiverRule& w) { w.id = "GHSA-gq9m-qvpx-68hc"; }), true},
        {"id = alias", rule([](WaiverRule& w) { w.id = "CVE-2019-14806"; }), true},
        {"id any case", rule([](WaiverRule& w) { w.id = "cve-2019-14806"; }), true},
        {"id other", rule([](WaiverRule& w) { w.id = "CVE-2019-1"; }), false},
        {"rule", rule([](WaiverRule& w) { w.rule = "ghsa-gq9m-qvpx-68hc"; }), true},
        {"rule is not an alias", rule([](WaiverRule& w) { w.rule = "CVE-2019-14806"; }), false},
        {"package", rule([](WaiverRule& w) { w.package = "Werkzeug"; }), true},
        {"package + version", rule([](WaiverRule& w) { w.package = "Werkzeug", w.version = "0.11"; }), true},
        {"package + other version", rule([](WaiverRule& w) { w.package = "Werkzeug", w.version = "0.12"; }), false},
        {"id + other package", rule([](WaiverRule& w) { w.id = "CVE-2019-14806", w.package = "flask"; }), false},
        {"path glob", rule([](WaiverRule& w) { w.path = "usr/lib/python3.7/**"; }), true},
        {"path glob absolute", rule([](WaiverRule& w) { w.path = "/usr/lib/*/site-packages/*"; }), true},
        {"path other", rule([](WaiverRule& w) { w.path = "opt/*"; }), false},
        {"fingerprint exact", rule([](WaiverRule& w) { w.fingerprint = "abc123:2"; }), true},
        {"fingerprint base", rule([](WaiverRule& w) { w.fingerprint = "abc123"; }), true},
        {"fingerprint other", rule([](WaiverRule& w) { w.fingerprint = "abc124"; }), false},
        {"purl without version", rule([](WaiverRule& w) { w.purl = "pkg:pypi/werkzeug"; }), true},
        {"purl prefix of another name", rule([](WaiverRule& w) { w.purl = "pkg:pypi/werk"; }), false},
        {"type", rule([](WaiverRule& w) { w.package_type = "python"; }), true},
        {"fix-state fixed", rule([](WaiverRule& w) { w.fix_state = "fixed"; }), true},
        {"fix-state not-fixed", rule([](WaiverRule& w) { w.fix_state = "not-fixed"; }), false},
        {"no matcher never matches", rule([](WaiverRule&) {}), false},
    };
    auto f = sample_vuln();
    for (auto& row : rows) {
      CAPTURE(row.name);
      CHECK(policy::matches(row.w, f) == row.hit);
    }
  }

  TEST_CASE("a waived finding stays in the run with the reason") {
    auto run = pt::run_of({pt::step("grype", {sample_vuln(), pt::vuln("grype", "CVE-2", "q", "1")})});
    auto w = rule([](WaiverRule& w) { w.id = "CVE-2019-14806", w.owner = "alice", w.expires = "2026-12-31"; });
    auto out = policy::apply_waivers(run, {w}, "2026-11-23");
    CHECK(out.waived == 1);
    REQUIRE(run.steps[0].findings.size() == 2);
    REQUIRE(run.steps[0].findings[0].waiver);
    CHECK(run.steps[0].findings[0].waiver->reason == "accepted");
    CHECK(run.steps[0].findings[0].waiver->owner == "alice");
    CHECK(run.steps[0].findings[0].waiver->source == "w.yml:1");
    CHECK_FALSE(run.steps[0].findings[1].waiver);
    CHECK(run.waiver_notices.empty());
  }

  TEST_CASE("expiry table with an injected date") {
    struct Row {
      const char* expires;
      const char* today;
      bool applies;
    };
    const Row rows[] = {{"", "2030-01-01", true},
                        {"2026-12-31", "2026-12-30", true},
                        {"2026-12-31", "2026-12-31", true},  // the last day still counts
                        {"2026-12-31", "2027-01-01", false},
                        {"2025-06-01", "2026-11-23", false}};
    for (auto& row : rows) {
      CAPTURE(row.expires);
      CAPTURE(row.today);
      auto run = pt::run_of({pt::step("grype", {sample_vuln()})});
      auto w = rule([](WaiverRule& w) { w.id = "CVE-2019-14806"; });
      w.expires = row.expires;
      policy::apply_waivers(run, {w}, row.today);
      CHECK(run.steps[0].findings[0].waiver.has_value() == row.applies);
      if (row.applies) {
        CHECK(run.waiver_notices.empty());
      } else {
        REQUIRE(run.waiver_notices.size() == 1);
        CHECK(run.waiver_notices[0].state == "expired");
        CHECK(run.waiver_notices[0].expires == row.expires);
      }
    }
  }

  TEST_CASE("a waiver that matches nothing is stale") {
    auto run = pt::run_of({pt::step("grype", {sample_vuln()})});
    auto used = rule([](WaiverRule& w) { w.id = "CVE-2019-14806"; });
    auto stale = rule([](WaiverRule& w) { w.rule = "DL3008", w.source = "w.yml:7"; });
    auto out = policy::apply_waivers(run, {used, stale}, "2026-11-23");
    CHECK(out.stale == 1);
    REQUIRE(run.waiver_notices.size() == 1);
    CHECK(run.waiver_notices[0].state == "stale");
    CHECK(run.waiver_notices[0].id == "DL3008");
    CHECK(run.waiver_notices[0].source == "w.yml:7");
  }

  TEST_CASE("two waivers on one finding: the first applies and neither is stale") {
    auto run = pt::run_of({pt::step("grype", {sample_vuln()})});
    auto a = rule([](WaiverRule& w) { w.package = "Werkzeug", w.reason = "first"; });
    auto b = rule([](WaiverRule& w) { w.id = "CVE-2019-14806", w.reason = "second"; });
    policy::apply_waivers(run, {a, b}, "2026-11-23");
    CHECK(run.steps[0].findings[0].waiver->reason == "first");
    CHECK(run.waiver_notices.empty());
  }

  TEST_CASE("valid_date rejects impossible dates") {
    CHECK(policy::valid_date("2028-02-29"));
    CHECK_FALSE(policy::valid_date("2026-02-29"));
    CHECK_FALSE(policy::valid_date("2026-13-01"));
    CHECK_FALSE(policy::valid_date("2026-1-01"));
    CHECK_FALSE(policy::valid_date("tomorrow"));
  }
}
