// Runs the real bandit (Debian's python3-bandit, installed by scripts/bootstrap.sh) over the
// sample app and checks that every format it writes tells dockgate the same story.
// bandit 1.6.2 writes csv, custom, html, json, screen, txt, xml and yaml; it has no sarif
// formatter (bandit SARIF, from 1.7.8 on, goes through the generic SARIF parser).
#include <map>
#include <set>

#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sniff.hpp"
#include "tests/adapters/ingest/bandit_support.hpp"

using namespace dg;

namespace {

const char* kBandit = "/usr/bin/bandit";

// bandit exits 1 when it found issues, 0 when not; anything else means it did not run.
void run_bandit(const std::string& format, const test::fs::path& out) {
  auto r = test::run_process({kBandit, "-r", "sample_app", "-f", format, "-o", out.string()}, {}, {}, 120,
                             test::data("bandit"));
  REQUIRE_MESSAGE((r.code == 0 || r.code == 1), "bandit -f " << format << " exited " << r.code << ": " << r.err);
  REQUIRE(test::fs::exists(out));
}

}  // namespace

TEST_SUITE("ingest.bandit_run") {
  TEST_CASE("real bandit: json csv xml txt html and yaml agree on findings and rule ids") {
    if (!test::need(test::fs::exists(kBandit), kBandit)) return;
    test::TempDir tmp;
    auto help = test::run_process({kBandit, "-h"});
    CHECK(help.out.find("sarif") == std::string::npos);  // 1.6.2: no SARIF formatter to test here

    std::map<std::string, model::StepResult> steps;
    for (std::string fmt : {"json", "csv", "xml", "txt", "html", "yaml"}) {
      CAPTURE(fmt);
      auto out = tmp / ("report." + fmt);
      run_bandit(fmt, out);
      auto r = ingest::parse_report(out);
      REQUIRE_MESSAGE(r, (r ? "" : r.error().to_string()));
      CHECK(r->format == "bandit-" + fmt);
      REQUIRE(r->steps.size() == 1);
      test::bandit::check_common(r->steps[0]);
      steps[fmt] = std::move(r->steps[0]);
    }
    auto& json = steps["json"];
    CHECK(std::to_string(json.findings.size()) + " 1" == test::bandit::json_counts(tmp / "report.json"));
    CHECK(json.findings.size() >= 10);
    for (auto& [fmt, s] : steps) {
      CAPTURE(fmt);
      CHECK(s.findings.size() == json.findings.size());
      CHECK(test::bandit::sorted_rule_ids(s) == test::bandit::sorted_rule_ids(json));
    }

    // The file with a syntax error is a step error in the formats that list skipped files.
    for (std::string fmt : {"json", "txt", "html", "yaml"}) {
      CAPTURE(fmt);
      auto& s = steps[fmt];
      REQUIRE(s.errors.size() == 1);
      CHECK(s.errors[0] == "bandit could not scan sample_app/broken.py: syntax error while parsing AST from file");
      CHECK(s.status == model::StepStatus::Error);
    }
    // YAML is the JSON tree in another syntax: every field, so every finding, must be the same.
    auto& yaml = steps["yaml"];
    REQUIRE(yaml.findings.size() == json.findings.size());
    for (std::size_t i = 0; i < json.findings.size(); ++i) {
      auto &a = json.findings[i], &b = yaml.findings[i];
      CHECK(b.rule_id == a.rule_id);
      CHECK(b.location.path == a.location.path);
      CHECK(b.location.line == a.location.line);
      CHECK(b.location.end_line == a.location.end_line);
      CHECK(b.severity == a.severity);
      CHECK(b.title == a.title);
      CHECK(b.fingerprint == a.fingerprint);
    }
    CHECK(steps["csv"].errors.empty());
    CHECK(steps["xml"].errors.empty());

    // What the sample plants is found, and its secrets stay out of the model.
    std::set<std::string> ids;
    for (auto& f : json.findings) {
      ids.insert(f.rule_id);
      if (f.kind == model::Kind::Secret) {
        CHECK(f.title.find("changeme") == std::string::npos);
        CHECK(f.title.find("admin-password") == std::string::npos);
      }
    }
    for (auto id : {"B101", "B106", "B107", "B301", "B303", "B307", "B506", "B602"}) CHECK_MESSAGE(ids.count(id), id);
  }

  TEST_CASE("dockgate gate on a bandit report with an unparsable file exits 4 and leaks no password") {
    if (!test::need(test::fs::exists(kBandit), kBandit)) return;
    test::TempDir tmp;
    for (std::string fmt : {"json", "txt"}) {
      CAPTURE(fmt);
      auto report = tmp / ("report." + fmt);
      run_bandit(fmt, report);
      auto result = tmp / ("result-" + fmt + ".json");
      auto r = test::cli({"gate", report.string(), "--json", result.string(), "--fail-on", "critical"});
      CHECK_MESSAGE(r.code == 4, r.err);
      CHECK(r.err.find("broken.py") != std::string::npos);
      REQUIRE(test::fs::exists(result));
      std::string text = test::read(result);
      CHECK(text.find("broken.py") != std::string::npos);
      CHECK(text.find("changeme-default") == std::string::npos);
      CHECK(text.find("admin-password-123") == std::string::npos);
    }
  }
}
