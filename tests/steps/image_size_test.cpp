#include "src/steps/image_size.hpp"

#include <cstring>
#include <set>

#include "tests/steps/image_fixture.hpp"

using namespace dg;
namespace fs = std::filesystem;
namespace fx = dg::test::image_fixture;

namespace {

std::chrono::system_clock::time_point now() { return std::chrono::sys_days(std::chrono::year{2026} / 11 / 23); }

std::set<std::string> rules(const model::StepResult& s) {
  std::set<std::string> out;
  for (auto& f : s.findings) out.insert(f.rule_id);
  return out;
}

// The waste the fixture was built to have (see image_fixture.hpp), computed by hand.
struct Expected {
  double extra = static_cast<double>(std::strlen(fx::kOsRelease) + std::strlen(fx::kPython));
  double layer1 = 3'000'000 + 2'000'000 + 100 + 1000 + 2000 + extra;
  double layer2 = 700;
  double image = layer1 + layer2;
  // big.bin 3,000,000 deleted; config.txt 100 + 200; data/cache a 1,000 + b 2,000 deleted.
  double wasted = 3'000'000 + 300 + 3000;
  double minimum = 100 + 2'000'000 + extra + 500;  // config.txt 100, zeros.bin, os-release + python, main.py
  double cumulative = image;
  double efficiency = minimum / cumulative;
};

}  // namespace

TEST_SUITE("steps.image.size") {
  TEST_CASE("an OCI image gives sizes and dive metrics that match the layers it was built from") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    steps::SizeStep cfg;
    cfg.oci = built.layout.string() + ":v2";
    auto s = steps::run_image_size(cfg, nullptr, now());
    REQUIRE_MESSAGE(s.status != model::StepStatus::Error, (s.errors.empty() ? std::string() : s.errors[0]));
    Expected e;
    auto& m = s.metrics;
    CHECK(m.at("layers") == 2);
    CHECK(m.at("image_bytes") == e.image);
    CHECK(m.at("largest_layer_bytes") == e.layer1);
    CHECK(m.at("wasted_bytes") == e.wasted);
    CHECK(m.at("efficiency") == doctest::Approx(e.efficiency));
    CHECK(m.at("user_wasted_percent") == doctest::Approx(e.wasted / e.layer2 * 100));
    // Compressed: the layer blobs as stored, independently summed from the files on disk.
    double blobs = 0;
    for (auto& d : fx::layer_digests(built.layout, "v2")) blobs += static_cast<double>(fs::file_size(built.layout / "blobs/sha256" / d));
    CHECK(m.at("compressed_bytes") == blobs);
    CHECK(blobs < e.image);  // 2 MB of zeros compress away
    MESSAGE("built image: " << m.at("image_bytes") << " B uncompressed, " << m.at("compressed_bytes")
                            << " B compressed, efficiency " << m.at("efficiency") << ", wasted " << m.at("wasted_bytes"));
    CHECK(s.log_excerpt.find("COPY app/ /app/") != std::string::npos);
    CHECK(s.log_excerpt.find("/app/big.bin") != std::string::npos);
    // Only config findings; nothing critical without budgets.
    CHECK(rules(s) == std::set<std::string>{"image/no-healthcheck", "image/privileged-port", "image/no-vcs-labels",
                                            "image/alpine-python"});
    CHECK(s.status == model::StepStatus::Passed);
  }

  TEST_CASE("budgets and dive gates turn into critical findings") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path, false);
    steps::SizeStep cfg;
    cfg.oci = built.layout.string() + ":v2";
    auto image_bytes = static_cast<std::uint64_t>(steps::run_image_size(cfg, nullptr, now()).metrics.at("image_bytes"));

    cfg.max_bytes = image_bytes;  // exactly at the budget passes
    CHECK(rules(steps::run_image_size(cfg, nullptr, now())).count("size/over-budget") == 0);
    cfg.max_bytes = image_bytes - 1;
    cfg.lowest_efficiency = 0.9;
    cfg.highest_wasted_bytes = 1'000'000;
    cfg.highest_user_wasted_percent = 0.1;
    auto s = steps::run_image_size(cfg, nullptr, now());
    for (const char* r : {"size/over-budget", "size/low-efficiency", "size/wasted-bytes", "size/user-wasted-percent"})
      CHECK_MESSAGE(rules(s).count(r) == 1, r);
    for (auto& f : s.findings)
      if (f.rule_id.starts_with("size/")) CHECK(f.severity == model::Severity::Critical);
    CHECK(s.status == model::StepStatus::Failed);
    CHECK(s.metrics.at("max_bytes") == static_cast<double>(image_bytes - 1));

    steps::SizeStep loose;
    loose.oci = cfg.oci;
    loose.lowest_efficiency = 0.1;
    loose.highest_wasted_bytes = 4'000'000;
    loose.highest_user_wasted_percent = 10000;
    CHECK(steps::run_image_size(loose, nullptr, now()).status == model::StepStatus::Passed);
  }

  TEST_CASE("growth is measured against the baseline result's image_bytes") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    steps::SizeStep v1;
    v1.oci = built.layout.string() + ":v1";
    model::Run baseline;
    baseline.steps.push_back(steps::run_image_size(v1, nullptr, now()));
    double base = baseline.steps[0].metrics.at("image_bytes");

    steps::SizeStep v2;
    v2.oci = built.layout.string() + ":v2";
    v2.max_growth_percent = 10;
    auto s = steps::run_image_size(v2, &baseline, now());
    // v2 only adds 700 bytes on top of v1: well under 10 %.
    CHECK(s.metrics.at("baseline_bytes") == base);
    CHECK(s.metrics.at("growth_bytes") == 700);
    CHECK(rules(s).count("size/growth") == 0);
    v2.max_growth_percent.reset();
    v2.max_growth_bytes = 699;
    s = steps::run_image_size(v2, &baseline, now());
    CHECK(rules(s).count("size/growth") == 1);

    model::Run no_size;  // a baseline without an image-size step: growth is not checked, and says so
    s = steps::run_image_size(v2, &no_size, now());
    CHECK(rules(s).count("size/growth") == 0);
    CHECK(s.log_excerpt.find("growth not checked") != std::string::npos);
  }

  TEST_CASE("an inspect file gives the size and config but no efficiency") {
    steps::SizeStep cfg;
    cfg.inspect = test::data("image/inspect-python-alpine.json").string();
    cfg.max_bytes = 50'000'000;
    cfg.lowest_efficiency = 0.9;
    cfg.max_age_days = 90;
    auto s = steps::run_image_size(cfg, nullptr, now());
    CHECK(s.metrics.at("image_bytes") == 57352187);
    CHECK(s.metrics.at("layers") == 5);
    CHECK(s.metrics.count("efficiency") == 0);
    CHECK(rules(s).count("size/over-budget") == 1);
    CHECK(rules(s).count("image/too-old") == 1);
    CHECK(rules(s).count("size/low-efficiency") == 0);
    CHECK(s.log_excerpt.find("efficiency gates not checked") != std::string::npos);
    CHECK(s.format == "docker-inspect");
    CHECK(s.inputs == std::vector<std::string>{cfg.inspect});
  }

  TEST_CASE("an unreadable image is a step error with the reason") {
    test::TempDir tmp;
    test::write(tmp / "bad.tar", "not a tar at all");
    steps::SizeStep cfg;
    cfg.archive = (tmp / "bad.tar").string();
    auto s = steps::run_image_size(cfg, nullptr, now());
    CHECK(s.status == model::StepStatus::Error);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].find("bad.tar") != std::string::npos);
    steps::SizeStep none;
    CHECK(steps::run_image_size(none, nullptr, now()).status == model::StepStatus::Error);
  }

  TEST_CASE("a missing docker binary is a step error that says what to do instead") {
    test::TempDir tmp;
    const char* old = std::getenv("PATH");
    std::string saved = old ? old : "";
    ::setenv("PATH", tmp.path.c_str(), 1);
    steps::SizeStep cfg;
    cfg.image = "example/app:1";
    auto s = steps::run_image_size(cfg, nullptr, now());
    ::setenv("PATH", saved.c_str(), 1);
    CHECK(s.status == model::StepStatus::Error);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].find("docker is not installed") != std::string::npos);
    CHECK(s.errors[0].find("--archive") != std::string::npos);
  }
}
