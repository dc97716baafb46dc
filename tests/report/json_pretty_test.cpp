#include "src/report/json_pretty.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace dg;
using ordered = nlohmann::ordered_json;

namespace {
// What the SARIF writer wrote before it wrote text: an ordered document dumped with indent 2.
std::string dumped(const ordered& j) { return j.dump(2, ' ', false, ordered::error_handler_t::replace); }
}  // namespace

TEST_SUITE("report.json_pretty") {
  TEST_CASE("the layout is nlohmann's dump with indent 2") {
    std::string out;
    report::PrettyJson w(out);
    w.object();
    w.str("$schema", "https://example.test/s.json").str("version", "2.1.0");
    w.object("empty_object").end();
    w.array("empty_array").end();
    w.array("runs");
    w.object();
    w.object("tool").object("driver").str("name", "trivy").array("rules").end().end().end();
    w.array("results");
    w.object().num("ruleIndex", 0).num("startLine", -3).boolean("ok", false).end();
    w.object().str("text", "quote \" tab \t nul " + std::string(1, '\0') + " caf\xC3\xA9 bad \xFF").end();
    w.end();
    w.strings("tags", {"security", "vulnerability"});
    w.key("nested").array().array().str("x").end().array().end().end();
    w.real("epss", 0.0001).real("score", 96.25000000000001).real("whole", 2.0);
    w.end();
    w.end();
    w.end();

    ordered j;
    j["$schema"] = "https://example.test/s.json";
    j["version"] = "2.1.0";
    j["empty_object"] = ordered::object();
    j["empty_array"] = ordered::array();
    ordered run;
    run["tool"] = {{"driver", {{"name", "trivy"}, {"rules", ordered::array()}}}};
    ordered results = ordered::array();
    results.push_back({{"ruleIndex", 0}, {"startLine", -3}, {"ok", false}});
    results.push_back({{"text", "quote \" tab \t nul " + std::string(1, '\0') + " caf\xC3\xA9 bad \xFF"}});
    run["results"] = results;
    run["tags"] = std::vector<std::string>{"security", "vulnerability"};
    run["nested"] = ordered::array({ordered::array({"x"}), ordered::array()});
    run["epss"] = 0.0001;
    run["score"] = 96.25000000000001;
    run["whole"] = 2.0;
    j["runs"] = ordered::array({run});
    CHECK(out == dumped(j));
  }

  TEST_CASE("a top-level empty object and array") {
    std::string a, b;
    report::PrettyJson(a).object().end();
    report::PrettyJson(b).array().end();
    CHECK(a == "{}");
    CHECK(b == "[]");
  }
}
