// Issue 16 rows 4, 5 and 6: image sizes are summed with overflow checks and a sane bound, blobs
// are verified against their digests while they are read, and a FIFO blob is refused. The rules
// behind rows 1 and 7 hold for images too: a docker-save tar is opened as every input is, and the
// JSON of manifests, configs and inspect output has a nesting limit.
#include <sys/stat.h>

#include "src/steps/image/docker_archive.hpp"
#include "src/steps/image/image_config.hpp"
#include "src/steps/image/inspect_json.hpp"
#include "src/steps/image/layer_reader.hpp"
#include "src/steps/image/oci_layout.hpp"
#include "tests/sanitizers.hpp"
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

  TEST_CASE("a docker archive that is a FIFO is an error not a hang") {
    // The docker-save tar was opened by libarchive's own blocking open(), outside the rule every
    // other input follows: a FIFO there waited for a writer forever.
    test::TempDir tmp;
    REQUIRE(::mkfifo((tmp / "image.tar").c_str(), 0600) == 0);
    auto r = test::run_process({test::dockgate_binary(), "size", "--archive", (tmp / "image.tar").string()}, {}, {},
                               20);
    CHECK_MESSAGE(r.code == 4, r.err);
    CHECK_MESSAGE(r.err.find("a FIFO (named pipe), not a regular file") != std::string::npos, r.err);
  }

  TEST_CASE("image JSON nested deeper than 1024 levels is refused in bounded memory") {
    // Manifests, configs and inspect output go through nlohmann's parser, which has no depth
    // limit: an index.json of 16 MiB of '[' (the largest manifest read) took 5 s and 1.3 GB, and
    // ended in std::bad_alloc (exit 70) under a 1 GiB address-space limit.
    test::TempDir tmp;
    test::write(tmp / "oci" / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    test::write(tmp / "oci" / "index.json", std::string((16u << 20) - 1, '['));
    std::string cmd = test::address_space_limit(1048576) + "exec \"$0\" \"$@\"";
    auto r = test::run_process({"/bin/sh", "-c", cmd, test::dockgate_binary(), "size", "--oci",
                                (tmp / "oci").string() + ":v1"},
                               {}, {}, 60);
    CHECK_MESSAGE(r.code == 4, r.err.substr(0, 2000));
    CHECK_MESSAGE(r.err.find("index.json:1:1025: JSON nested deeper than 1024 levels") != std::string::npos,
                  r.err.substr(0, 2000));
    // The limit itself; brackets inside strings are text.
    auto deep = parse_json(std::string(1025, '[') + std::string(1025, ']'), "deep.json");
    REQUIRE_FALSE(deep);
    CHECK(deep.error().kind == util::ErrorKind::Input);
    CHECK(deep.error().to_string().find("deep.json:1:1025: JSON nested") != std::string::npos);
    CHECK(parse_json(std::string(1024, '[') + std::string(1024, ']'), "ok.json"));
    CHECK(parse_json("{\"a\\\"[\":\"" + std::string(5000, '[') + "\"}", "text.json"));
    auto later = parse_json("{\"a\":\n  " + std::string(2000, '{'), "later.json");
    REQUIRE_FALSE(later);
    CHECK(later.error().line == 2);
    CHECK(later.error().column == 1026);
    // An --inspect file becomes one nlohmann document as well: bounded as a manifest is (it was
    // read up to the 4 GiB of a report).
    test::write(tmp / "inspect.json", "[" + std::string(16u << 20, ' ') + "]");
    auto big = read_inspect_file(tmp / "inspect.json");
    REQUIRE_FALSE(big);
    CHECK_MESSAGE(big.error().message.find("over the limit of 16777216") != std::string::npos, big.error().message);
  }

  TEST_CASE("docker inspect output claiming more than 1 TiB is an input error") {
    // Row 4's bound for the size docker reports: 9 PB was taken as the image's size.
    auto huge = image_from_inspect(R"([{"Id":"sha256:ab","Size":9200000000000000,"Config":{}}])", "inspect.json");
    REQUIRE_FALSE(huge);
    CHECK(huge.error().kind == util::ErrorKind::Input);
    CHECK_MESSAGE(huge.error().message.find("claims 9200000000000000 bytes, more than 1024 GiB") != std::string::npos,
                  huge.error().message);
    auto fine = image_from_inspect(R"([{"Id":"sha256:ab","Size":123456789,"Config":{}}])", "inspect.json");
    REQUIRE(fine);
    CHECK(fine->reported_size == 123456789u);
  }
}
