#include "src/steps/image/image_config_checks.hpp"

#include <set>

#include "src/steps/image/inspect_json.hpp"
#include "tests/support.hpp"

using namespace dg;
using namespace dg::steps::image;

namespace {

std::set<std::string> rules(const std::vector<model::Finding>& fs) {
  std::set<std::string> out;
  for (auto& f : fs) out.insert(f.rule_id);
  return out;
}

std::chrono::system_clock::time_point at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

}  // namespace

TEST_SUITE("steps.image.checks") {
  TEST_CASE("RFC 3339 timestamps with fractions and offsets") {
    using namespace std::chrono;
    auto z = parse_rfc3339("2024-01-02T03:04:05Z");
    REQUIRE(z);
    CHECK(*z == sys_days(year{2024} / 1 / 2) + hours(3) + minutes(4) + seconds(5));
    CHECK(parse_rfc3339("2024-01-02T03:04:05.123456789Z") == z);
    CHECK(parse_rfc3339("2024-01-02T05:04:05+02:00") == z);
    CHECK_FALSE(parse_rfc3339(""));
    CHECK_FALSE(parse_rfc3339("2024-13-02T03:04:05Z"));
    CHECK_FALSE(parse_rfc3339("2024-01-02T03:04:05"));
  }

  TEST_CASE("a Python-on-Alpine image inspected as root breaks every rule") {
    auto img = read_inspect_file(dg::test::data("image/inspect-python-alpine.json"));
    REQUIRE_MESSAGE(img, img.error().to_string());
    ConfigCheckInputs in;
    in.image = &*img;
    in.max_age_days = 30;
    in.now = at("2026-11-23T00:00:00Z");
    auto found = check_image_config(in);
    CHECK(rules(found) == std::set<std::string>{"image/root-user", "image/privileged-port", "image/no-healthcheck",
                                                "image/no-vcs-labels", "image/too-old", "image/alpine-python"});
    for (auto& f : found) {
      CHECK(f.kind == model::Kind::Image);
      CHECK(f.tool == "dockgate");
      CHECK(!f.fingerprint.empty());
      CHECK(f.location.target == "python:3.12-alpine");
      if (f.rule_id == "image/privileged-port") CHECK(f.message.find("80/tcp") != std::string::npos);
      if (f.rule_id == "image/too-old") CHECK(f.severity == model::Severity::High);
      // The docs link lands on the rule's own heading (GitHub drops the '/' from the anchor).
      auto hash = f.help_uri.find('#');
      REQUIRE(hash != std::string::npos);
      auto page = dg::test::read(dg::test::source_dir() / f.help_uri.substr(0, hash));
      CHECK(f.help_uri.substr(hash + 1) == "image" + f.rule_id.substr(6));
      CHECK(page.find("\n### " + f.rule_id + "\n") != std::string::npos);
    }
  }

  TEST_CASE("a well-built image passes every rule") {
    auto img = read_inspect_file(dg::test::data("image/inspect-slim-good.json"));
    REQUIRE_MESSAGE(img, img.error().to_string());
    ConfigCheckInputs in;
    in.image = &*img;
    in.max_age_days = 30;
    in.now = at("2026-11-23T00:00:00Z");
    CHECK(check_image_config(in).empty());
  }

  TEST_CASE("root is no User or root or 0 with any group") {
    Image img;
    img.config.has_healthcheck = true;
    img.config.labels = {{"org.opencontainers.image.revision", "a"}, {"org.opencontainers.image.source", "b"}};
    ConfigCheckInputs in;
    in.image = &img;
    for (const char* u : {"", "root", "0", "0:0", "root:root", " root "}) {
      img.config.user = u;
      CHECK_MESSAGE(rules(check_image_config(in)) == std::set<std::string>{"image/root-user"}, u);
    }
    for (const char* u : {"app", "1000", "1000:1000", "nobody:0"}) {
      img.config.user = u;
      CHECK_MESSAGE(check_image_config(in).empty(), u);
    }
  }

  TEST_CASE("the fingerprint does not depend on the image tag or the message") {
    Image a, b;
    a.name = "app:1";
    b.name = "app:2";
    auto fa = image_finding("size/over-budget", model::Severity::Critical, "t", "301 MB", a);
    auto fb = image_finding("size/over-budget", model::Severity::Critical, "t", "305 MB", b);
    CHECK(fa.fingerprint == fb.fingerprint);
    CHECK(fa.fingerprint != image_finding("size/growth", model::Severity::Critical, "t", "", a).fingerprint);
  }

  TEST_CASE("Alpine from the final os-release of the layers and Python from the files") {
    Image img;
    img.config.user = "app";
    img.config.has_healthcheck = true;
    img.config.labels = {{"org.opencontainers.image.revision", "a"}, {"org.label-schema.vcs-url", "b"}};
    Analysis an;
    an.final_small_files["usr/lib/os-release"] = "NAME=x\nID=\"alpine\"\n";
    an.has_python = true;
    ConfigCheckInputs in;
    in.image = &img;
    in.analysis = &an;
    CHECK(rules(check_image_config(in)) == std::set<std::string>{"image/alpine-python"});
    an.final_small_files["usr/lib/os-release"] = "ID=debian\n";
    CHECK(check_image_config(in).empty());
  }
}
