#include "src/steps/image/oci_layout.hpp"

#include <cstring>

#include "tests/steps/image_fixture.hpp"

using namespace dg;
namespace fs = std::filesystem;
using namespace dg::steps::image;
namespace fx = dg::test::image_fixture;

TEST_SUITE("steps.image.oci") {
  TEST_CASE("an umoci-built layout reads with sizes that match the blobs on disk and tar listings") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    auto img = read_oci_layout(built.layout.string() + ":v2");
    REQUIRE_MESSAGE(img, img.error().to_string());
    CHECK(img->name == "v2");
    auto digests = fx::layer_digests(built.layout, "v2");
    REQUIRE(img->layers.size() == 2);
    REQUIRE(digests.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      auto& l = img->layers[i];
      auto blob = built.layout / "blobs/sha256" / digests[i];
      CHECK(l.digest == "sha256:" + digests[i]);
      CHECK(l.compressed);
      REQUIRE(l.blob_bytes);
      CHECK(*l.blob_bytes == fs::file_size(blob));
      REQUIRE(l.contents);
      CHECK(l.contents->file_bytes == fx::tar_listing_bytes(blob, true));
      CHECK(l.diff_id.starts_with("sha256:"));
    }
    auto extra = std::strlen(fx::kOsRelease) + std::strlen(fx::kPython);
    CHECK(img->layers[0].contents->file_bytes == 3'000'000 + 2'000'000 + 100 + 1000 + 2000 + extra);
    CHECK(img->layers[1].contents->file_bytes == 700);
    // History: the config's USER entry made no layer and is skipped when aligning.
    CHECK(img->layers[0].created_by == "COPY app/ /app/");
    CHECK(img->layers[1].created_by == "RUN rm -rf /app/big.bin /data/cache");
    CHECK(img->config.user == "app");
    // The config stores ports as object keys, so the image has them in key order.
    CHECK(img->config.exposed_ports == std::vector<std::string>{"80/tcp", "8000/tcp"});
    CHECK(img->config.labels.at("org.opencontainers.image.revision") == "0123abc");
    CHECK(img->layers[0].contents->small_files.at("etc/os-release") == fx::kOsRelease);
  }

  TEST_CASE("a layout with several images needs a tag and lists them") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto layout = tmp / "oci";
    fx::must({"umoci", "init", "--layout", layout.string()});
    fx::must({"umoci", "new", "--image", layout.string() + ":one"});
    fx::must({"umoci", "new", "--image", layout.string() + ":two"});
    auto r = read_oci_layout(layout.string());
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("one, two") != std::string::npos);
    auto missing = read_oci_layout(layout.string() + ":three");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message.find("three") != std::string::npos);
    auto one = read_oci_layout(layout.string() + ":one");
    REQUIRE_MESSAGE(one, one.error().to_string());
    CHECK(one->layers.empty());
  }

  TEST_CASE("a directory that is not an OCI layout is an input error") {
    test::TempDir tmp;
    auto r = read_oci_layout(tmp.path.string());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().message.find("oci-layout") != std::string::npos);
    CHECK_FALSE(read_oci_layout((tmp / "nope").string()));
  }

  TEST_CASE("a digest that would escape the blobs directory is refused") {
    test::TempDir tmp;
    test::write(tmp / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    test::write(tmp / "index.json",
                R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                R"("digest":"sha256:../../../etc/passwd","size":10}]})");
    auto r = read_oci_layout(tmp.path.string());
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("invalid digest") != std::string::npos);
  }

  TEST_CASE("a corrupt layer blob is an error that names the blob") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path, false);
    auto digests = fx::layer_digests(built.layout, "v2");
    auto blob = built.layout / "blobs/sha256" / digests[1];
    fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
    test::write(blob, std::string("\x1f\x8b\x08\x00garbage that is not gzip", 28));
    auto r = read_oci_layout(built.layout.string() + ":v2");
    REQUIRE_FALSE(r);
    CHECK(r.error().file.find(digests[1]) != std::string::npos);
  }
}
