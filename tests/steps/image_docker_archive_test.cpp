#include "src/steps/image/docker_archive.hpp"

#include "src/steps/image/oci_layout.hpp"
#include "tests/steps/image_fixture.hpp"

using namespace dg;
namespace fs = std::filesystem;
using namespace dg::steps::image;
namespace fx = dg::test::image_fixture;

namespace {

bool have_tools() { return fx::have_tools() && test::have_program("skopeo"); }

// Same layers, same history, same sizes as the OCI layout the archive was copied from.
void check_same_as_layout(const Image& a, const Image& oci) {
  REQUIRE(a.layers.size() == oci.layers.size());
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    REQUIRE(a.layers[i].contents);
    CHECK(a.layers[i].contents->file_bytes == oci.layers[i].contents->file_bytes);
    CHECK(a.layers[i].contents->entries.size() == oci.layers[i].contents->entries.size());
    CHECK(a.layers[i].created_by == oci.layers[i].created_by);
    CHECK(a.layers[i].diff_id == oci.layers[i].diff_id);
  }
  CHECK(a.config.user == oci.config.user);
}

}  // namespace

TEST_SUITE("steps.image.archive") {
  TEST_CASE("a skopeo docker-archive reads the same layers as its OCI layout") {
    if (!test::need(have_tools(), "umoci and skopeo")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    auto oci = read_oci_layout(built.layout.string() + ":v2");
    REQUIRE(oci);
    auto a = read_docker_archive(built.archive);
    REQUIRE_MESSAGE(a, a.error().to_string());
    check_same_as_layout(*a, *oci);
    CHECK(a->name.find("example/app:v2") != std::string::npos);
    CHECK(a->id == oci->id);
    // docker-archive layers are plain tars: their stored size is the tar itself, not compressed.
    for (auto& l : a->layers) {
      CHECK_FALSE(l.compressed);
      REQUIRE(l.blob_bytes);
      CHECK(*l.blob_bytes == l.contents->tar_bytes);
    }
    // An independent count of the first layer: `tar tv` of the member.
    auto member = a->layers[0].digest.substr(7) + ".tar";
    auto x = test::run_process({"tar", "xf", built.archive.string(), "-C", tmp.path.string(), member});
    REQUIRE_MESSAGE(x.code == 0, x.err);
    CHECK(a->layers[0].contents->file_bytes == fx::tar_listing_bytes(tmp / member, false));
    CHECK_FALSE(read_docker_archive(built.archive, "nosuchtag"));
    CHECK(read_docker_archive(built.archive, "v2"));
  }

  TEST_CASE("the Docker 25 OCI-in-docker-save layout reads through manifest.json into blobs") {
    if (!test::need(fx::have_tools(), "umoci")) return;
    test::TempDir tmp;
    auto built = fx::build(tmp.path);
    auto oci = read_oci_layout(built.layout.string() + ":v2");
    REQUIRE(oci);
    std::string layers;
    for (auto& l : oci->layers) layers += std::string(layers.empty() ? "" : ",") + "\"blobs/sha256/" + l.digest.substr(7) + "\"";
    test::write(built.layout / "manifest.json", "[{\"Config\":\"blobs/sha256/" + oci->id.substr(7) +
                                                    "\",\"RepoTags\":[\"example/app:v2\"],\"Layers\":[" + layers + "]}]");
    auto tar = tmp / "save.tar";
    fx::must({"tar", "-C", built.layout.string(), "-cf", tar.string(), "."});
    auto a = read_docker_archive(tar);
    REQUIRE_MESSAGE(a, a.error().to_string());
    check_same_as_layout(*a, *oci);
    CHECK(a->name == "example/app:v2");
    for (std::size_t i = 0; i < a->layers.size(); ++i) {
      CHECK(a->layers[i].compressed);
      CHECK(a->layers[i].digest == oci->layers[i].digest);
      CHECK(a->layers[i].blob_bytes == oci->layers[i].blob_bytes);
    }

    // `docker save | gzip` reads as well.
    fx::must({"gzip", "-k", tar.string()});
    auto gz = read_docker_archive(tmp / "save.tar.gz");
    REQUIRE_MESSAGE(gz, gz.error().to_string());
    check_same_as_layout(*gz, *oci);
  }

  TEST_CASE("a tar without manifest.json is an input error naming the file") {
    test::TempDir tmp;
    test::write(tmp / "x/hello.txt", "hi");
    fx::must({"tar", "-C", (tmp / "x").string(), "-cf", (tmp / "x.tar").string(), "."});
    auto r = read_docker_archive(tmp / "x.tar");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == util::ErrorKind::Input);
    CHECK(r.error().file == (tmp / "x.tar").string());
    CHECK(r.error().message.find("manifest.json") != std::string::npos);
  }

  TEST_CASE("a truncated or non-tar archive is an error and not a crash") {
    test::TempDir tmp;
    test::write(tmp / "text.tar", std::string(3000, 'x'));
    CHECK_FALSE(read_docker_archive(tmp / "text.tar"));
    CHECK_FALSE(read_docker_archive(tmp / "missing.tar"));
    if (!test::need(have_tools(), "umoci and skopeo")) return;
    auto built = fx::build(tmp / "img");
    auto bytes = test::read(built.archive);
    test::write(tmp / "cut.tar", bytes.substr(0, bytes.size() / 2));
    auto r = read_docker_archive(tmp / "cut.tar");
    CHECK_FALSE(r);
  }
}
