// Issue 16 rows 4, 5 and 6: image sizes are summed with overflow checks and a sane bound, blobs
// are verified against their digests while they are read, and a FIFO blob is refused.
#include "src/steps/image/docker_archive.hpp"
#include "src/steps/image/layer_reader.hpp"
#include "src/steps/image/oci_layout.hpp"
#include "tests/support.hpp"

using namespace dg;
using namespace dg::steps::image;

namespace {

void hostile(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/python3", test::data("image/hostile.py").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = test::run_process(argv);
  REQUIRE_MESSAGE(r.code == 0, r.err);
}

}  // namespace

TEST_SUITE("steps.image.hostile") {
  TEST_CASE("sparse entries that claim 2^64 bytes in sum are an input error not 10 B") {
    // Row 4: two entries of 9,223,372,036,854,775,800 bytes and one of 26 wrapped the sum to 10.
    test::TempDir tmp;
    hostile({"sparse-archive", (tmp / "s.tar").string()});
    auto img = read_docker_archive(tmp / "s.tar");
    REQUIRE_FALSE(img);
    CHECK(img.error().kind == util::ErrorKind::Input);
    CHECK_MESSAGE(img.error().message.find("layer claims more than 1024 GiB of files (entry 1, big1") !=
                      std::string::npos,
                  img.error().message);
    // Through the command: exit 4 (the step could not measure), never a pass at "10 B".
    auto r = test::cli({"size", "--archive", (tmp / "s.tar").string(), "--max", "1GB"});
    CHECK(r.code == 4);
    CHECK(r.err.find("10 B") == std::string::npos);
  }

  TEST_CASE("add_bytes stops at the bound instead of wrapping") {
    std::uint64_t total = 0;
    CHECK(add_bytes(total, kMaxImageBytes - 5));
    CHECK_FALSE(add_bytes(total, 6));
    CHECK(total == kMaxImageBytes - 5);
    CHECK(add_bytes(total, 5));
    CHECK_FALSE(add_bytes(total, ~0ull));
  }

  TEST_CASE("an OCI layer blob that does not hash to its digest is refused naming the blob") {
    // Row 5: digests were never verified; a changed byte in a file's content went unnoticed.
    test::TempDir tmp;
    hostile({"oci", (tmp / "good").string()});
    hostile({"oci", (tmp / "bad").string(), "--tamper"});
    auto good = read_oci_layout((tmp / "good").string() + ":v1");
    REQUIRE_MESSAGE(good, (good ? "" : good.error().to_string()));
    auto bad = read_oci_layout((tmp / "bad").string() + ":v1");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == util::ErrorKind::Input);
    const auto& digest = good->layers.at(0).digest;
    CHECK_MESSAGE(bad.error().message.find("blob " + digest + " does not match its digest") != std::string::npos,
                  bad.error().message);
    auto r = test::cli({"size", "--oci", (tmp / "bad").string() + ":v1"});
    CHECK(r.code == 4);
    CHECK(r.err.find("does not match its digest") != std::string::npos);
  }

  TEST_CASE("an OCI layer blob that is a FIFO is an error not a hang") {
    // Row 6: the blob was opened for reading and waited for a writer forever. A process with a
    // timeout, so the old behaviour fails the test instead of hanging the suite.
    test::TempDir tmp;
    hostile({"oci", (tmp / "fifo").string(), "--fifo-layer"});
    auto r = test::run_process({test::dockgate_binary(), "size", "--oci", (tmp / "fifo").string() + ":v1"}, {}, {}, 20);
    CHECK_MESSAGE(r.code == 4, r.err);
    CHECK_MESSAGE(r.err.find("a FIFO (named pipe), not a regular file") != std::string::npos, r.err);
  }
}
