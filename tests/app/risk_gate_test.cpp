// Issue 17, end to end: --kev / --epss feeds, --fail-on-kev, --epss-threshold and their
// dockgate.yml keys, on trivy's spring4shell golden report (CVE-2022-22965, rated low there) and
// grype's presenter snapshot (EPSS, KEV and risk of its own).
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace dg;

namespace {
std::string spring() { return test::corpus("trivy/golden-spring4shell-jre8.json").string(); }
std::string kev() { return test::data("risk/kev.json").string(); }
std::string epss() { return test::data("risk/epss.csv.gz").string(); }
}  // namespace

TEST_SUITE("app.risk") {
  TEST_CASE("--kev with --fail-on-kev turns a passing trivy gate into a failure with the KEV reason") {
    auto before = test::cli({"gate", spring()});
    CHECK_MESSAGE(before.code == 0, before.err);
    auto after = test::cli({"gate", "--kev", kev(), "--fail-on-kev", spring()});
    CHECK_MESSAGE(after.code == 1, after.err);
    CHECK(after.err.find("trivy: CVE-2022-22965 is known exploited (KEV, added 2022-04-04)") != std::string::npos);
    CHECK(after.err.find("[KEV]") != std::string::npos);  // the console marks the finding
    // Without --fail-on-kev the feed only informs.
    auto informed = test::cli({"gate", "--kev", kev(), spring()});
    CHECK(informed.code == 0);
    CHECK(informed.err.find("[KEV]") != std::string::npos);
  }

  TEST_CASE("kev epss fail-on-kev and epss-threshold in dockgate.yml") {
    test::TempDir tmp;
    test::write(tmp / "dockgate.yml", "kev: " + kev() + "\nepss: [" + epss() +
                                          "]\npolicy:\n  fail-on: medium\n  fail-on-kev: true\n  epss-threshold: 10%\n");
    auto r = test::cli({"gate", "-c", (tmp / "dockgate.yml").string(), spring(), "--json", (tmp / "r.json").string()});
    CHECK_MESSAGE(r.code == 1, r.err);
    CHECK(r.err.find("CVE-2022-22965 is known exploited (KEV, added 2022-04-04)") != std::string::npos);
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    auto& f = j["steps"][0]["findings"][0];
    CHECK(f["risk"]["kev"] == true);
    CHECK(f["risk"]["kev_added"] == "2022-04-04");
    CHECK(f["risk"]["epss"].get<double>() == doctest::Approx(0.94471));
    CHECK(f["risk"]["epss_date"] == "2025-11-30");
  }

  TEST_CASE("--epss-threshold keeps unlikely vulnerabilities from failing the gate") {
    // golden-ubuntu-1804: four medium CVE-2019-5094 findings (EPSS 0.2 % in the fixture) and one low.
    auto report = test::corpus("trivy/golden-ubuntu-1804.json").string();
    auto before = test::cli({"gate", "--fail-on", "medium", "--epss", epss(), report});
    CHECK(before.code == 1);
    test::TempDir tmp;
    auto after = test::cli({"gate", "--fail-on", "medium", "--epss", epss(), "--epss-threshold", "0.1", report, "--json",
                            (tmp / "r.json").string()});
    CHECK_MESSAGE(after.code == 0, after.err);
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    for (auto& f : j["steps"][0]["findings"]) CHECK(f["why_not"] == "below-epss-threshold");
    auto bad = test::cli({"gate", "--epss-threshold", "2", report});
    CHECK(bad.code == 2);
  }

  TEST_CASE("grype's EPSS KEV and risk reach every output and survive a re-gate") {
    test::TempDir tmp;
    auto grype = test::corpus("grype/snap-head-json-image.json").string();
    auto r = test::cli({"gate", grype, "--fail-on", "none", "--json", (tmp / "r.json").string(), "--sarif",
                        (tmp / "r.sarif").string(), "--markdown", (tmp / "c.md").string(), "--html", (tmp / "r.html").string()});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json", tmp / "r.json") == "");
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    const auto& fs = j.at("steps").at(0).at("findings");
    REQUIRE(fs.size() == 2);
    auto by_id = [](const nlohmann::json& findings, const std::string& id) {
      for (auto& f : findings)
        if (f.at("rule_id") == id) return f;
      return nlohmann::json();
    };
    auto kev_one = by_id(fs, "CVE-1999-0002"), other = by_id(fs, "CVE-1999-0001");
    CHECK(kev_one.at("risk").at("kev") == true);
    CHECK(kev_one.at("risk").at("kev_ransomware") == "Known");
    CHECK(kev_one.at("risk").at("score").get<double>() == doctest::Approx(96.25));
    CHECK(other.at("risk").at("epss_percentile").get<double>() == doctest::Approx(0.42));
    CHECK_FALSE(other.at("risk").contains("kev"));
    auto sarif = nlohmann::json::parse(test::read(tmp / "r.sarif"));
    bool seen_kev = false;
    for (auto& res : sarif["runs"][0]["results"])
      if (res["ruleId"] == "CVE-1999-0002") {
        seen_kev = true;
        CHECK(res["properties"]["known-exploited"] == true);
        CHECK(res["properties"]["epss"].get<double>() == doctest::Approx(0.08));
        CHECK(res["properties"]["epss-percentile"].get<double>() == doctest::Approx(0.53));
      }
    CHECK(seen_kev);
    auto md = test::read(tmp / "c.md");
    CHECK(md.find("**KEV** EPSS 8.0% (p53)") != std::string::npos);
    CHECK(md.find("EPSS 3.0% (p42)") != std::string::npos);
    CHECK(md.find("CVE-1999-0002") < md.find("CVE-1999-0001"));
    auto html = test::read(tmp / "r.html");
    CHECK(html.find("tag-kev") != std::string::npos);
    // Re-gating the result keeps the data and fails on it when asked.
    auto again = test::cli({"gate", (tmp / "r.json").string(), "--fail-on", "none", "--fail-on-kev", "--json",
                            (tmp / "r2.json").string()});
    CHECK(again.code == 1);
    CHECK(again.err.find("CVE-1999-0002 is known exploited (KEV)") != std::string::npos);
    auto j2 = nlohmann::json::parse(test::read(tmp / "r2.json"));
    const auto& fs2 = j2.at("steps").at(0).at("findings");
    CHECK(by_id(fs2, "CVE-1999-0002").at("risk") == kev_one.at("risk"));
    CHECK(by_id(fs2, "CVE-1999-0001").at("risk") == other.at("risk"));
  }

  TEST_CASE("bad feed files are input errors that name the file and line") {
    auto r = test::cli({"gate", "--epss", test::data("risk/epss-bad-score.csv").string(), spring()});
    CHECK(r.code == 3);
    CHECK_MESSAGE(r.err.find("epss-bad-score.csv:4:") != std::string::npos, r.err);
    auto k = test::cli({"gate", "--kev", test::data("risk/epss.csv").string(), spring()});
    CHECK(k.code == 3);
    CHECK(k.err.find("epss.csv") != std::string::npos);
    test::TempDir tmp;
    // A huge file is refused by its size, before it is read (a sparse file: no disk used).
    {
      test::write(tmp / "huge.json", "");
      test::fs::resize_file(tmp / "huge.json", 65ull << 20);
    }
    auto huge = test::cli({"gate", "--kev", (tmp / "huge.json").string(), spring()});
    CHECK(huge.code == 3);
    CHECK_MESSAGE(huge.err.find("huge.json") != std::string::npos, huge.err);
    auto missing = test::cli({"gate", "--kev", (tmp / "nope.json").string(), spring()});
    CHECK(missing.code == 3);
    CHECK(missing.err.find("nope.json") != std::string::npos);
  }

  TEST_CASE("per-step fail-on-kev in dockgate.yml and a bad epss-threshold is a usage error at its line") {
    test::TempDir tmp;
    test::write(tmp / "off.yml", "kev: [" + kev() + "]\npolicy:\n  fail-on-kev: true\n  steps:\n    trivy: { fail-on-kev: false }\n");
    auto off = test::cli({"gate", "-c", (tmp / "off.yml").string(), spring()});
    CHECK_MESSAGE(off.code == 0, off.err);
    test::write(tmp / "bad.yml", "policy:\n  fail-on: high\n  epss-threshold: likely\n");
    auto bad = test::cli({"gate", "-c", (tmp / "bad.yml").string(), spring()});
    CHECK(bad.code == 2);
    CHECK_MESSAGE(bad.err.find("bad.yml:3:") != std::string::npos, bad.err);
    CHECK(bad.err.find("policy.epss-threshold") != std::string::npos);
  }
}
