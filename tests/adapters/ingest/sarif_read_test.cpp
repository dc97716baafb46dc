// Issue 16 row 14: a SARIF log of a million empty results costs next to nothing per result.
#include "adapters/ingest/sniff.hpp"
#include "tests/sanitizers.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("ingest.sarif_read") {
  TEST_CASE("a 2 MB SARIF of 1000000 empty results is read and written in bounded memory") {
    // The old code kept a full result and a finding for each {}: 40 s, 3.5 GB and a 748 MB SARIF.
    // Under a 1 GiB address-space limit only a small per-result cost can answer.
    test::TempDir tmp;
    std::string log = R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"scanner"}},"results":[)";
    log.reserve(log.size() + 3'000'000);
    for (int i = 0; i < 1'000'000; ++i) log += i ? ",{}" : "{}";
    log += R"(,{"ruleId":"R1","message":{"text":"one real result"}}]}]})";
    test::write(tmp / "empty.sarif", log);
    std::string cmd = test::address_space_limit(1048576) + "exec \"$0\" \"$@\"";
    auto r = test::run_process({"/bin/sh", "-c", cmd, test::dockgate_binary(), "gate", (tmp / "empty.sarif").string(),
                                "--sarif", (tmp / "out.sarif").string(), "--json", (tmp / "out.json").string(),
                                "--fail-on", "none"},
                               {}, {}, 120);
    CHECK_MESSAGE(r.code == 0, r.err.substr(0, 2000));
    CHECK_MESSAGE(r.err.find("1000000 results without a rule or a message were skipped") != std::string::npos,
                  r.err.substr(0, 2000));
    CHECK(test::fs::file_size(tmp / "out.sarif") < 1'000'000);
    auto in = ingest::make_input("x.sarif", log);
    auto parsed = ingest::parse_input(in);
    REQUIRE(parsed);
    std::size_t findings = 0;
    for (auto& s : parsed->steps) findings += s.findings.size();
    CHECK(findings == 1);
  }
}
