// Issue 16 rows 3 and 13: YAML in dockgate.yml and waiver files is read in linear time (aliases
// are refused), and nothing keeps a reference into yaml-cpp's iterator temporaries.
#include "src/app/config.hpp"
#include "src/app/waivers_file.hpp"
#include "src/app/yaml_fields.hpp"
#include "tests/sanitizers.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("app.yaml_fields") {
  TEST_CASE("a waiver file that repeats a 1 MB anchor 2000 times is refused at the first alias") {
    // Row 3: every alias was read as the whole 1 MB node again: 61 s, 12 GB and a 2 GB result.
    // Under a 1 GiB address-space limit only a refusal can answer.
    test::TempDir tmp;
    std::string y = "waivers:\n  - id: CVE-2024-0001\n    reason: &big \"" + std::string(1u << 20, 'a') + "\"\n";
    for (int i = 2; i <= 2000; ++i) y += "  - id: CVE-2024-" + std::to_string(10000 + i) + "\n    reason: *big\n";
    test::write(tmp / "waivers.yml", y);
    std::string cmd = test::address_space_limit(1048576) + "exec \"$0\" \"$@\"";
    auto r = test::run_process({"/bin/sh", "-c", cmd, test::dockgate_binary(), "gate",
                                test::corpus("trivy/dd-all_statuses.json").string(), "--waivers",
                                (tmp / "waivers.yml").string(), "--json", (tmp / "r.json").string(), "-q"},
                               {}, {}, 60);
    CHECK_MESSAGE(r.code == 2, r.err.substr(0, 2000));
    CHECK_MESSAGE(r.err.find("waivers.yml:5:13: YAML aliases (*name) are not accepted here") != std::string::npos,
                  r.err.substr(0, 2000));
    CHECK(!test::fs::exists(tmp / "r.json"));
  }

  TEST_CASE("an alias in dockgate.yml is refused with its position") {
    test::TempDir tmp;
    test::write(tmp / "dockgate.yml", "policy:\n  fail-on: &sev high\n  unknown-severity: *sev\n");
    auto c = app::load_config(tmp / "dockgate.yml", {});
    REQUIRE(!c);
    CHECK(c.error().kind == util::ErrorKind::Usage);
    CHECK(c.error().line == 3);
    CHECK(c.error().message.find("YAML aliases") != std::string::npos);
    // An anchor alone is harmless, and '*' inside a quoted value is text.
    test::write(tmp / "ok.yml", "policy:\n  fail-on: &sev high\nsteps:\n  bandit:\n    paths: [\"*.py\"]\n");
    auto ok = app::load_config(tmp / "ok.yml", {});
    CHECK_MESSAGE(ok, (ok ? "" : ok.error().to_string()));
  }

  TEST_CASE("policy.steps entries are read through copies of yaml-cpp's iterator values") {
    // Row 13: `const YAML::Node& sn = it->second` bound to a member of a temporary; AddressSanitizer
    // reported stack-use-after-scope on every dockgate.yml with policy.steps. Each entry must keep
    // its own values (the sanitizer build runs this test too).
    test::TempDir tmp;
    std::string y = "policy:\n  steps:\n";
    for (int i = 0; i < 20; ++i)
      y += "    tool" + std::to_string(i) + ":\n      fail-on: " + (i % 2 ? "critical" : "low") +
           "\n      ignore-unfixed: " + (i % 3 ? "true" : "false") + "\n      max: {high: " + std::to_string(i) + "}\n";
    test::write(tmp / "dockgate.yml", y);
    auto c = app::load_config(tmp / "dockgate.yml", {});
    REQUIRE_MESSAGE(c, (c ? "" : c.error().to_string()));
    REQUIRE(c->policy.steps.size() == 20);
    for (int i = 0; i < 20; ++i) {
      CAPTURE(i);
      auto& sp = c->policy.steps.at("tool" + std::to_string(i));
      CHECK(sp.has_fail_on);
      CHECK(sp.fail_on == (i % 2 ? model::Severity::Critical : model::Severity::Low));
      CHECK(sp.ignore_unfixed == (i % 3 != 0));
      CHECK(sp.max.at(model::Severity::High) == i);
    }
  }

  TEST_CASE("YAML nested past the parser's depth limit is a clear error at its position") {
    // yaml-cpp stops at 500 levels with the message "bad file": dockgate said "invalid YAML: bad
    // file", and limits.md promised 2,000 levels.
    test::TempDir tmp;
    test::write(tmp / "dockgate.yml", "policy:\n  steps: " + std::string(600, '[') + std::string(600, ']') + "\n");
    auto c = app::load_config(tmp / "dockgate.yml", {});
    REQUIRE(!c);
    CHECK(c.error().kind == util::ErrorKind::Usage);
    CHECK(c.error().line == 2);
    CHECK_MESSAGE(c.error().message.find("YAML nested deeper than 500 levels") != std::string::npos, c.error().message);
    test::write(tmp / "waivers.yml", "waivers: " + std::string(200000, '[') + "\n");
    auto w = app::load_waivers(tmp / "waivers.yml");
    REQUIRE(!w);
    CHECK_MESSAGE(w.error().message.find("YAML nested deeper than 500 levels") != std::string::npos, w.error().message);
    // 400 levels are within the limit.
    test::write(tmp / "ok.yml", "x: " + std::string(400, '[') + std::string(400, ']') + "\n");
    auto ok = app::yaml::parse(app::yaml::Doc{(tmp / "ok.yml").string()}, test::read(tmp / "ok.yml"));
    CHECK_MESSAGE(ok, (ok ? "" : ok.error().to_string()));
  }
}
