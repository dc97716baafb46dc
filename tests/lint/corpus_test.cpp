// The real Dockerfiles of the corpus as golden tests: every finding (rule:line) is listed in
// tests/data/lint/corpus/NAME.golden, reviewed by hand. DOCKGATE_UPDATE_GOLDENS=1 rewrites them.
#include <algorithm>
#include <cstdlib>

#include "src/lint/lint.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("lint.corpus") {
  TEST_CASE("corpus Dockerfiles match their reviewed goldens") {
    auto dir = test::corpus("dockerfiles");
    REQUIRE(std::filesystem::is_directory(dir));
    std::vector<std::filesystem::path> files;
    for (auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    CHECK(files.size() >= 10);
    bool update = std::getenv("DOCKGATE_UPDATE_GOLDENS") != nullptr;
    for (auto& f : files) {
      std::string name = f.filename().string();
      CAPTURE(name);
      auto step = lint::lint_dockerfile(f, {});
      CHECK(step.status != model::StepStatus::Error);
      std::string got;
      for (auto& x : step.findings)
        got += x.rule_id + ":" + std::to_string(x.location.line) + " " + std::string(model::to_string(x.severity)) +
               " " + x.message + "\n";
      auto golden = test::data("lint/corpus/" + name + ".golden");
      if (update) test::write(golden, got);
      CHECK_MESSAGE(std::filesystem::exists(golden), "missing golden: set DOCKGATE_UPDATE_GOLDENS=1 once and review it");
      CHECK(test::read(golden) == got);
    }
  }

  TEST_CASE("a binary file is a step error not a crash") {
    test::TempDir tmp;
    test::write(tmp / "Dockerfile", std::string("\x7f" "ELF\0\0\0binary", 13));
    auto step = lint::lint_dockerfile(tmp / "Dockerfile", {});
    CHECK(step.status == model::StepStatus::Error);
    CHECK(step.errors.at(0).find("binary") != std::string::npos);
  }

  TEST_CASE("a missing Dockerfile is a step error") {
    auto step = lint::lint_dockerfile("no/such/Dockerfile", {});
    CHECK(step.status == model::StepStatus::Error);
  }

  TEST_CASE("disable and severity overrides from the configuration") {
    test::TempDir tmp;
    test::write(tmp / "Dockerfile", "FROM debian\nRUN apt-get update && apt-get install -y curl\n");
    steps::LintStep cfg;
    cfg.disable = {"DG101"};
    cfg.severity["DG110"] = model::Severity::Critical;
    auto step = lint::lint_dockerfile(tmp / "Dockerfile", cfg);
    bool has101 = false, crit110 = false;
    for (auto& f : step.findings) {
      has101 = has101 || f.rule_id == "DG101";
      crit110 = crit110 || (f.rule_id == "DG110" && f.severity == model::Severity::Critical);
    }
    CHECK_FALSE(has101);
    CHECK(crit110);
  }

  TEST_CASE("every rule has a docs page and the parity table lists it") {
    auto readme = test::read(test::source_dir() / "docs/rules/README.md");
    for (auto& r : lint::rules()) {
      std::string id(r.id);
      CAPTURE(id);
      CHECK(std::filesystem::exists(test::source_dir() / ("docs/rules/" + id + ".md")));
      CHECK(readme.find("[" + id + "]") != std::string::npos);
    }
  }
}
