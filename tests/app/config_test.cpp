#include "src/app/config.hpp"

#include "tests/support.hpp"

using namespace dg;
using model::Severity;

namespace {

std::string config(const std::string& name) { return test::data("policy/config/" + name).string(); }

}  // namespace

TEST_SUITE("app.config") {
  // Issue 12 (docs vs behaviour): a list key given one value is that one item, never split.
  TEST_CASE("paths: src as a single value is a one-item list") {
    test::TempDir tmp;
    test::write(tmp / "one.yml", "steps:\n  bandit:\n    paths: src\n");
    auto c = app::load_config((tmp / "one.yml").string(), {});
    REQUIRE_MESSAGE(c, c.error().to_string());
    CHECK(c->bandit.paths == std::vector<std::string>{"src"});
    test::write(tmp / "space.yml", "steps:\n  bandit: { paths: src dir }\n");
    auto s = app::load_config((tmp / "space.yml").string(), {});
    REQUIRE_MESSAGE(s, s.error().to_string());
    CHECK(s->bandit.paths == std::vector<std::string>{"src dir"});
  }

  TEST_CASE("every key of the full example is read") {
    auto c = app::load_config(config("full.yml"), {{"CI_COMMIT_SHA", "4f2c1a9"}});
    REQUIRE_MESSAGE(c, c.error().to_string());
    CHECK(c->image == "registry.example/app:4f2c1a9");
    CHECK(c->dockerfile == "docker/Dockerfile");
    CHECK(c->results_dir == "out/dockgate");
    CHECK(c->jobs == 3);
    CHECK(c->lint.configured);
    CHECK(c->lint.tool == "both");
    CHECK(c->lint.args == std::vector<std::string>{"--ignore", "DL3059"});
    CHECK(c->lint.disable == std::vector<std::string>{"DG105", "DL3008"});
    CHECK(c->lint.severity.at("DL3015") == Severity::Low);
    CHECK(c->lint.severity.at("DG101") == Severity::High);
    CHECK(c->trivy.configured);
    CHECK(c->trivy.args == std::vector<std::string>{"--ignore-unfixed"});
    CHECK(c->trivy.timeout.count() == doctest::Approx(600));
    CHECK(c->grype.report == "reports/grype.json");
    CHECK(c->bandit.paths == std::vector<std::string>{"src", "tools"});
    CHECK(c->smoke.configured);
    CHECK(c->smoke.run == std::vector<std::string>{"docker", "run", "--rm", "-p", "8000:8000", "registry.example/app:4f2c1a9"});
    CHECK(c->smoke.url == "http://127.0.0.1:8000/health");
    CHECK(c->smoke.expect_status == 204);
    CHECK(c->smoke.expect_body == "/ok|ready/");
    CHECK(c->smoke.timeout.count() == doctest::Approx(90));
    CHECK(c->smoke.interval.count() == doctest::Approx(0.5));
    CHECK(c->smoke.stop_timeout.count() == doctest::Approx(90));
    CHECK_FALSE(c->smoke.check_stop);
    CHECK(c->smoke.check_non_root);
    CHECK(c->smoke.log_lines == 80);
    CHECK(c->size.configured);
    CHECK(c->size.image == "registry.example/app:4f2c1a9");  // the top-level image by default
    CHECK(c->size.max_bytes == 300000000u);
    CHECK(c->size.max_growth_percent == doctest::Approx(10));
    CHECK_FALSE(c->size.max_growth_bytes);
    CHECK(*c->size.lowest_efficiency == doctest::Approx(0.95));
    CHECK(c->size.highest_wasted_bytes == 20u * 1024 * 1024);
    CHECK(*c->size.highest_user_wasted_percent == doctest::Approx(0.1));
    CHECK(c->size.max_age_days == 30);
    CHECK(c->size.baseline == "main-result.json");
    CHECK(c->policy.fail_on == Severity::Medium);
    CHECK(c->policy.max == std::map<Severity, long>{{Severity::Critical, 0}, {Severity::High, 2}, {Severity::Medium, 25}});
    CHECK(c->policy.ignore_unfixed);
    CHECK(c->policy.new_only);
    CHECK(c->policy.unknown_as == Severity::Medium);
    CHECK(c->policy.dedup);
    auto& b = c->policy.steps.at("bandit");
    CHECK(b.has_fail_on);
    CHECK(b.fail_on == Severity::Low);
    CHECK(b.max.at(Severity::Medium) == 3);
    CHECK(b.ignore_unfixed == false);
    CHECK(c->policy.steps.at("lint").has_fail_on);
    CHECK_FALSE(c->policy.steps.at("lint").fail_on);
    CHECK(c->waivers == ".dockgate-waivers.yml");
    CHECK(c->baseline == "main-result.json");
    CHECK(c->strict_waivers);
  }

  TEST_CASE("no file gives the defaults") {
    auto c = app::load_config({}, {});
    REQUIRE(c);
    CHECK(c->policy.fail_on == Severity::High);
    CHECK(c->policy.unknown_as == Severity::High);
    CHECK(c->dockerfile == "Dockerfile");
    CHECK_FALSE(c->trivy.configured);
  }

  TEST_CASE("environment overrides the file") {
    auto c = app::load_config(config("full.yml"), {{"DOCKGATE_FAIL_ON", "critical"},
                                                  {"DOCKGATE_IMAGE", "other/app:2"},
                                                  {"DOCKGATE_BASELINE", "b.json"},
                                                  {"DOCKGATE_WAIVERS", ".trivyignore"},
                                                  {"DOCKGATE_RESULTS_DIR", "r"},
                                                  {"DOCKGATE_JOBS", "1"}});
    REQUIRE(c);
    CHECK(c->policy.fail_on == Severity::Critical);
    CHECK(c->image == "other/app:2");
    CHECK(c->smoke.run.back() == "other/app:2");  // ${image} sees the override
    CHECK(c->baseline == "b.json");
    CHECK(c->waivers == ".trivyignore");
    CHECK(c->results_dir == "r");
    CHECK(c->jobs == 1);
    auto none = app::load_config({}, {{"DOCKGATE_FAIL_ON", "none"}});
    REQUIRE(none);
    CHECK_FALSE(none->policy.fail_on);
    auto bad = app::load_config({}, {{"DOCKGATE_JOBS", "many"}});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == util::ErrorKind::Usage);
    CHECK(bad.error().message.find("DOCKGATE_JOBS") != std::string::npos);
  }

  TEST_CASE("variables expand with defaults and $$ escapes") {
    test::TempDir tmp;
    test::write(tmp / "d.yml", "image: app:${TAG:-dev}\ndockerfile: ${DIR}/Dockerfile\nresults-dir: $${HOME}\n");
    auto c = app::load_config(tmp / "d.yml", {{"DIR", "docker"}});
    REQUIRE(c);
    CHECK(c->image == "app:dev");
    CHECK(c->dockerfile == "docker/Dockerfile");
    CHECK(c->results_dir == "${HOME}");
  }

  TEST_CASE("sizes") {
    struct Row {
      const char* text;
      std::uint64_t bytes;
    };
    const Row ok[] = {{"500000", 500000},       {"300MB", 300000000},     {"300 mb", 300000000},
                      {"1.2GiB", 1288490189},   {"50MiB", 52428800},      {"1k", 1000},
                      {"2KiB", 2048},           {"0", 0},                 {"1TB", 1000000000000}};
    for (auto& r : ok) {
      CAPTURE(r.text);
      auto v = app::parse_size(r.text);
      REQUIRE(v);
      CHECK(*v == r.bytes);
    }
    for (auto bad : {"", "MB", "-1MB", "300 MiBs", "1e9", "12 parsecs"}) {
      CAPTURE(bad);
      auto v = app::parse_size(bad);
      REQUIRE_FALSE(v);
      CHECK(v.error().kind == util::ErrorKind::Usage);
    }
  }

  TEST_CASE("durations") {
    struct Row {
      const char* text;
      double seconds;
    };
    const Row ok[] = {{"60s", 60}, {"2m", 120}, {"1h", 3600}, {"500ms", 0.5}, {"1m30s", 90}, {"45", 45}, {"1.5s", 1.5}};
    for (auto& r : ok) {
      CAPTURE(r.text);
      auto v = app::parse_duration(r.text);
      REQUIRE(v);
      CHECK(v->count() == doctest::Approx(r.seconds));
    }
    for (auto bad : {"", "s", "60 seconds", "1d", "-5s", "5s3"}) {
      CAPTURE(bad);
      CHECK_FALSE(app::parse_duration(bad));
    }
  }

  TEST_CASE("every invalid config is exit 2 with file:line:col") {
    struct Row {
      const char* file;
      const char* where;
      const char* says;
    };
    const Row rows[] = {
        {"bad-unknown-key.yml", ":4:3: ", "did you mean 'ignore-unfixed'?"},
        {"bad-step.yml", ":2:3: ", "did you mean 'trivy'?"},
        {"bad-type.yml", ":3:12: ", "steps.bandit.paths must be a list"},
        {"bad-duration.yml", ":4:14: ", "unknown duration unit 'seconds'"},
        {"bad-size.yml", ":3:10: ", "unknown size unit"},
        {"bad-percent.yml", ":4:17: ", "is not a percentage"},
        {"bad-severity.yml", ":2:12: ", "must be one of critical, high, medium, low, info, none"},
        {"bad-syntax.yml", ":4:1: ", "invalid YAML"},
    };
    for (auto& row : rows) {
      CAPTURE(row.file);
      auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--config", config(row.file)});
      CHECK(r.code == 2);
      CHECK_MESSAGE(r.err.find(std::string(row.file) + row.where) != std::string::npos, r.err);
      CHECK_MESSAGE(r.err.find(row.says) != std::string::npos, r.err);
    }
  }

  TEST_CASE("an unreadable config is exit 2 and names the file") {
    test::TempDir tmp;
    auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--config",
                        (tmp / "missing.yml").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("missing.yml") != std::string::npos);
    r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "--config", tmp.path.string()});
    CHECK(r.code == 2);
  }

  TEST_CASE("an invalid DOCKGATE_ variable is exit 2") {
    auto r = test::cli({"gate", test::corpus("hadolint/dd-one_dockerfile.json").string()}, {{"DOCKGATE_FAIL_ON", "severe"}});
    CHECK(r.code == 2);
    CHECK(r.err.find("DOCKGATE_FAIL_ON=severe") != std::string::npos);
  }

  TEST_CASE("the jq-replacing example gates with its policy") {
    auto c = app::load_config(config("jq-gate.yml"), {});
    REQUIRE(c);
    CHECK(c->trivy.report == "trivy.json");
    CHECK(c->policy.max.at(Severity::Medium) == 25);
    CHECK(c->policy.ignore_unfixed);
    CHECK(c->waivers == ".dockgate-waivers.yml");
  }
}
