// --kev / --epss feed files: the fixtures in tests/data/risk are hand-made extracts in CISA's and
// FIRST's published formats (tests/data/risk/SOURCES.md).
#include "adapters/ingest/risk_feeds.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("ingest.risk_feeds") {
  TEST_CASE("the KEV catalog gives every cveID its dates action and ransomware use") {
    model::RiskFeed feed;
    auto r = ingest::read_kev_catalog(test::data("risk/kev.json"), feed);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(feed.size() == 3);
    auto& spring = feed.at("CVE-2022-22965");
    CHECK(spring.kev);
    CHECK(spring.kev_added == "2022-04-04");
    CHECK(spring.kev_due == "2022-04-25");
    CHECK(spring.kev_action == "Apply updates per vendor instructions.");
    CHECK(spring.kev_ransomware == "Unknown");
    CHECK(feed.at("CVE-2021-44228").kev_ransomware == "Known");
    CHECK(spring.epss < 0);  // the catalog says nothing about likelihood
  }

  TEST_CASE("the EPSS CSV gives score percentile and the score date of its comment line") {
    model::RiskFeed feed;
    auto r = ingest::read_epss_csv(test::data("risk/epss.csv"), feed);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    CHECK(feed.size() == 8);
    auto& spring = feed.at("CVE-2022-22965");
    CHECK(spring.epss == doctest::Approx(0.94471));
    CHECK(spring.epss_percentile == doctest::Approx(0.99985));
    CHECK(spring.epss_date == "2025-11-30");
    CHECK_FALSE(spring.kev);
  }

  TEST_CASE("a gzipped EPSS CSV reads the same as the plain one") {
    model::RiskFeed plain, gz;
    REQUIRE(ingest::read_epss_csv(test::data("risk/epss.csv"), plain));
    auto r = ingest::read_epss_csv(test::data("risk/epss.csv.gz"), gz);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
    REQUIRE(gz.size() == plain.size());
    for (auto& [cve, risk] : plain) {
      CAPTURE(cve);
      CHECK(gz.at(cve).epss == risk.epss);
      CHECK(gz.at(cve).epss_percentile == risk.epss_percentile);
    }
  }

  TEST_CASE("a bad EPSS score is an input error at its file and line") {
    model::RiskFeed feed;
    auto r = ingest::read_epss_csv(test::data("risk/epss-bad-score.csv"), feed);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().line == 4);
    auto text = r.error().to_string();
    CHECK_MESSAGE(text.find("epss-bad-score.csv:4:") != std::string::npos, text);
    CHECK(text.find("CVE-2019-1551") != std::string::npos);
    CHECK(feed.empty());  // nothing half read
  }

  TEST_CASE("files that are not feeds are input errors naming them") {
    test::TempDir tmp;
    model::RiskFeed feed;
    // A report is not a KEV catalog.
    auto kev = ingest::read_kev_catalog(test::corpus("grype/snap-head-json-image.json"), feed);
    REQUIRE_FALSE(kev);
    CHECK(kev.error().kind == util::ErrorKind::Input);
    CHECK(kev.error().to_string().find("not a CISA KEV catalog") != std::string::npos);
    // Truncated JSON: file:line:col.
    test::write(tmp / "kev.json", test::read(test::data("risk/kev.json")).substr(0, 400));
    auto cut = ingest::read_kev_catalog(tmp / "kev.json", feed);
    REQUIRE_FALSE(cut);
    CHECK(cut.error().to_string().find("kev.json:") != std::string::npos);
    // The KEV catalog given as --epss.
    auto wrong = ingest::read_epss_csv(test::data("risk/kev.json"), feed);
    REQUIRE_FALSE(wrong);
    CHECK(wrong.error().kind == util::ErrorKind::Input);
    CHECK(wrong.error().to_string().find("not a FIRST EPSS CSV") != std::string::npos);
    // A row short of a field.
    test::write(tmp / "short.csv", "cve,epss,percentile\nCVE-2019-1549,0.1,0.5\nCVE-2019-1551,0.2\n");
    auto shortrow = ingest::read_epss_csv(tmp / "short.csv", feed);
    REQUIRE_FALSE(shortrow);
    CHECK(shortrow.error().to_string().find("short.csv:3:") != std::string::npos);
    // Not gzip after all: a corrupt stream.
    test::write(tmp / "bad.csv.gz", std::string("\x1f\x8b\x08\x00garbage", 11));
    auto gz = ingest::read_epss_csv(tmp / "bad.csv.gz", feed);
    REQUIRE_FALSE(gz);
    CHECK(gz.error().kind == util::ErrorKind::Input);
    CHECK(gz.error().to_string().find("bad.csv.gz") != std::string::npos);
    CHECK(feed.empty());
  }
}
