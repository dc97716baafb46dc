// Issue 12: the console, the Markdown comment and JUnit carry what the JSON knows: the smoke
// test's HTTP status and attempts with the service's log, the size against budget and baseline
// with the largest layers, a failed tool's last output lines, and an incomplete baseline.
#include "src/report/writers.hpp"
#include "tests/report/fixture.hpp"

using namespace dg;

namespace {
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }
const std::string kSize = "412.0 MB > budget 300.0 MB (+17.7 % vs baseline 350.0 MB)";
const std::string kSmoke = "answered HTTP 503, expected 200 (waited 60 s, 121 attempts)";
const std::string kLayer = "#5 210.0 MB sha256:5d1e9b2c RUN pip install -r requirements.txt";
}  // namespace

TEST_SUITE("report.why") {
  TEST_CASE("the console says why for smoke size and a failed tool") {
    auto out = report::write_console(test::mixed_run(), {});
    CHECK_MESSAGE(has(out, "image-size: " + kSize), out);
    CHECK(has(out, kLayer));
    CHECK(has(out, "#7 64.0 MB sha256:9b7f2a11 COPY . /app"));
    CHECK_FALSE(has(out, "#3 30.0 MB"));  // three largest only
    CHECK(has(out, kSmoke));
    CHECK(has(out, "smoke-test: the last lines of its output:"));
    CHECK(has(out, "database at db:5432 unreachable"));
    CHECK(has(out, "grype: the last lines of its output:"));
    CHECK(has(out, "| [0001] ERROR failed to load vulnerability db: timeout"));
  }

  TEST_CASE("the comment says why for smoke size and a failed tool") {
    auto md = report::write_markdown(test::mixed_run(), {});
    // Markdown-escaped: '>' as an entity, '#5' kept from becoming an issue reference
    CHECK_MESSAGE(has(md, "**412.0 MB &gt; budget 300.0 MB (+17.7 % vs baseline 350.0 MB)**"), md);
    CHECK(has(md, "- #&#8203;5 210.0 MB sha256:5d1e9b2c RUN pip install -r requirements.txt\n"));
    CHECK(has(md, kSmoke));
    CHECK(has(md, "#### grype: "));
    CHECK(has(md, "ERROR failed to load vulnerability db: timeout"));
  }

  TEST_CASE("JUnit says why for smoke and size") {
    auto xml = report::write_junit(test::mixed_run());
    CHECK(has(xml, kSmoke));
    CHECK(has(xml, "412.0 MB &gt; budget 300.0 MB (+17.7 % vs baseline 350.0 MB)"));
    CHECK(has(xml, kLayer));
  }

  TEST_CASE("an incomplete baseline comparison is said on the console and in the comment") {
    auto run = test::mixed_run();
    run.baseline_incomplete = {"grype"};
    run.baseline_unknown = 3;
    auto md = report::write_markdown(run, {});
    CHECK_MESSAGE(has(md, "1 fixed \xC2\xB7 3 unknown"), md);
    CHECK(has(md, "The comparison is incomplete for grype"));
    CHECK(has(report::write_console(run, {}), "baseline: the comparison is incomplete for grype"));
  }
}
