// The result JSON is streamed: a large run reaches its file in pieces, never as one string.
#include <nlohmann/json.hpp>

#include "src/report/json_result.hpp"
#include "tests/report/streaming_fixture.hpp"

using namespace dg;

TEST_SUITE("report.json_result") {
  TEST_CASE("the result JSON written to a sink in pieces of about 1 MiB makes the same text") {
    auto run = test::big_run();
    test::Pieces sink;
    report::write_json(run, sink);
    std::string joined = sink.joined();
    CHECK(sink.all.size() > 2);
    CHECK(joined == report::write_json(run));
    auto doc = nlohmann::json::parse(joined);
    std::size_t findings = 0, expected = 0;
    for (auto& s : doc["steps"]) findings += s["findings"].size();
    for (auto& s : run.steps) expected += s.findings.size();
    CHECK(findings == expected);
  }
}
