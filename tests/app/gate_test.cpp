#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("app.gate") {
  TEST_CASE("gate writes a result JSON that validates against the published schema") {
    test::TempDir tmp;
    auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--json",
                        (tmp / "result.json").string(), "--fail-on", "critical"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json",
                                     tmp / "result.json") == "");
  }

  TEST_CASE("exit 1 when findings reach --fail-on") {
    auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--fail-on", "low"});
    CHECK(r.code == 1);
    CHECK(r.err.find("verdict: fail") != std::string::npos);
  }

  TEST_CASE("--json - writes to stdout only the JSON") {
    auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--json", "-", "-q",
                        "--fail-on", "critical"});
    CHECK(r.code == 0);
    REQUIRE(!r.out.empty());
    CHECK(r.out.front() == '{');
  }

  TEST_CASE("a missing report and a directory are input errors (exit 3)") {
    test::TempDir tmp;
    auto missing = test::cli({"gate", (tmp / "nope.json").string()});
    CHECK(missing.code == 3);
    CHECK(missing.err.find("nope.json") != std::string::npos);
    auto r = test::cli({"gate", tmp.path.string()});
    CHECK(r.code == 3);
    CHECK(r.err.find("directory") != std::string::npos);
  }

  TEST_CASE("schema command prints the schema file") {
    auto r = test::cli({"schema"});
    CHECK(r.code == 0);
    CHECK(r.out == test::read(test::source_dir() / "schemas/dockgate-result.schema.json"));
  }

  TEST_CASE("the binary runs as a process too") {
    auto r = test::run_process({test::dockgate_binary(), "--version"});
    CHECK(r.code == 0);
    CHECK(r.out.find("dockgate") != std::string::npos);
  }
}
