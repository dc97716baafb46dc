#include <nlohmann/json.hpp>

#include "src/app/config.hpp"
#include "tests/steps/image_fixture.hpp"
#include "tests/steps/steps_support.hpp"

using namespace dg;
namespace fs = std::filesystem;
namespace fx = dg::test::image_fixture;

namespace {

}  // namespace

TEST_SUITE("app.size") {
  TEST_CASE("size --oci writes a result JSON with the image-size metrics that validates") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    auto r = test::cli({"size", "--oci", built.layout.string() + ":v2", "--json", (tmp / "r.json").string()});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("largest layers") != std::string::npos);
    CHECK(test::validate_json_schema(test::source_dir() / "schemas/dockgate-result.schema.json", tmp / "r.json") == "");
    auto j = nlohmann::json::parse(test::read(tmp / "r.json"));
    auto& step = j["steps"][0];
    CHECK(step["name"] == "image-size");
    CHECK(step["metrics"]["layers"] == 2);
    CHECK(step["metrics"]["image_bytes"].get<double>() > 5'000'000);
  }

  TEST_CASE("size exits 1 when a dive gate fails and 0 when it passes") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    auto spec = built.layout.string() + ":v2";
    CHECK(test::cli({"size", "--oci", spec, "--lowest-efficiency", "0.9"}).code == 1);
    CHECK(test::cli({"size", "--oci", spec, "--lowest-efficiency", "20%"}).code == 0);
    CHECK(test::cli({"size", "--oci", spec, "--lowest-efficiency", "abc"}).code == 2);
    if (!built.archive.empty()) {
      auto r = test::cli({"size", "--archive", built.archive.string(), "--highest-user-wasted-percent", "0.1",
                          "--markdown", (tmp / "c.md").string()});
      CHECK_MESSAGE(r.code == 1, r.err);
      CHECK(test::read(tmp / "c.md").find("user-wasted-percent") != std::string::npos);
    }
  }

  TEST_CASE("size --max-growth against a previous result") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    // The base image is empty-ish, v1 adds 5 MB: far more than 10 %.
    auto base = test::cli({"size", "--oci", built.layout.string() + ":v1", "--json", (tmp / "base.json").string()});
    REQUIRE_MESSAGE(base.code == 0, base.err);
    auto grew = test::cli({"size", "--oci", built.layout.string() + ":v2", "--baseline", (tmp / "base.json").string(),
                           "--max-growth", "10%"});
    CHECK_MESSAGE(grew.code == 0, grew.err);  // v2 adds 700 bytes
    auto strict = test::cli({"size", "--oci", built.layout.string() + ":v2", "--baseline",
                             (tmp / "base.json").string(), "--max-growth", "0.001%", "--json", "-", "-q"});
    CHECK_MESSAGE(strict.code == 1, strict.err);
    CHECK(strict.out.find("size/growth") != std::string::npos);
  }

  TEST_CASE("size --max goes through app::parse_size") {
    auto r = test::cli({"size", "--inspect", test::data("image/inspect-slim-good.json").string(), "--max", "100MB"});
    CHECK_MESSAGE(r.code == 1, r.err);  // 151 MB over 100 MB
    CHECK(test::cli({"size", "--inspect", test::data("image/inspect-slim-good.json").string(), "--max", "1GB"}).code == 0);
  }

  TEST_CASE("size --inspect gates on image age") {
    auto file = test::data("image/inspect-slim-good.json").string();
    CHECK(test::cli({"size", "--inspect", file}).code == 0);
    // SOURCE_DATE_EPOCH 1795000000 is 2026-11-19: the image was created the next day.
    CHECK(test::cli({"size", "--inspect", file, "--max-age-days", "30"}).code == 0);
    auto old = test::cli({"size", "--inspect", test::data("image/inspect-python-alpine.json").string(),
                          "--max-age-days", "30", "--json", "-", "-q"});
    CHECK(old.code == 1);
    CHECK(old.out.find("image/too-old") != std::string::npos);
  }

  TEST_CASE("size IMAGE runs docker image inspect and gates growth against a baseline result") {
    test::TempDir tmp;
    test::ScopedEnv env;
    env.fake_tools_on_path();
    env.set("FAKE_DOCKER_LOG", (tmp / "calls").string());
    // main's image: 57 MB.
    env.set("FAKE_DOCKER_INSPECT", test::data("image/inspect-python-alpine.json").string());
    auto base = test::cli({"size", "app:main", "--max", "300MB", "--json", (tmp / "main-result.json").string()});
    CHECK_MESSAGE(base.code != 4, base.err);
    CHECK(test::read(tmp / "calls").find(R"(["image", "inspect", "--", "app:main"])") != std::string::npos);
    // This branch's image: 151 MB, under the budget but grown by far more than 10 %.
    env.set("FAKE_DOCKER_INSPECT", test::data("image/inspect-slim-good.json").string());
    auto within = test::cli({"size", "app:dev", "--max", "300MB", "--baseline", (tmp / "main-result.json").string()});
    CHECK_MESSAGE(within.code == 0, within.err);  // no --max-growth: growth is reported, not gated
    auto grown = test::cli({"size", "app:dev", "--max", "300MB", "--max-growth", "10%", "--baseline",
                            (tmp / "main-result.json").string(), "--json", "-", "-q"});
    CHECK_MESSAGE(grown.code == 1, grown.err);
    auto j = nlohmann::json::parse(grown.out);
    bool growth = false;
    for (auto& f : j["steps"][0]["findings"]) growth = growth || f["rule_id"] == "size/growth";
    CHECK(growth);
    CHECK(j["steps"][0]["metrics"]["image_bytes"] == 151234567);
    // An image docker does not have is a step error with docker's words: exit 4.
    env.unset("FAKE_DOCKER_INSPECT");
    auto missing = test::cli({"size", "app:gone"});
    CHECK(missing.code == 4);
    CHECK(missing.err.find("No such image: app:gone") != std::string::npos);
  }

  TEST_CASE("size exit codes for unreadable images and usage errors") {
    test::TempDir tmp;
    test::write(tmp / "junk.tar", "junk");
    auto r = test::cli({"size", "--archive", (tmp / "junk.tar").string()});
    CHECK(r.code == 4);
    CHECK(r.err.find("junk.tar") != std::string::npos);
    CHECK(test::cli({"size"}).code == 2);
    CHECK(test::cli({"size", "--archive", (tmp / "missing.tar").string()}).code == 2);
    CHECK(test::cli({"size", "--archive", (tmp / "junk.tar").string(), "--oci", tmp.path.string()}).code == 2);
    CHECK(test::cli({"size", "--oci", tmp.path.string()}).code == 4);
  }
}
