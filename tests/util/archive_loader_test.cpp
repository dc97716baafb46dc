// libarchive is loaded when an archive is first opened (src/util/archive_loader.cpp): the binary
// does not link it, archives are still read (every image and gzip test goes through it), and
// without it the command that needs it says why instead of failing to start.
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("util.archive_loader") {
  TEST_CASE("the binary does not link libarchive") {
    auto needed = test::dynamic_section();
    if (!needed) return;
    CHECK_MESSAGE(needed->find("libarchive") == std::string::npos, *needed);
    CHECK_MESSAGE(needed->find("libxml2") == std::string::npos, *needed);
  }

  TEST_CASE("without libarchive a gzipped feed is an input error that says what to install") {
    auto report = test::corpus("hadolint/dd-one_dockerfile.json").string();
    auto feed = test::data("risk/epss.csv.gz").string();
    // The binary, not the library in this process: the loader looks once per process.
    auto r = test::run_process({test::dockgate_binary(), "gate", report, "--epss", feed, "-q"},
                               {{"DOCKGATE_LIBARCHIVE", "libarchive-not-installed.so.13"}});
    CHECK(r.code == 3);
    CHECK_MESSAGE(r.err.find("libarchive is not installed") != std::string::npos, r.err);
    CHECK(r.err.find("apt-get install libarchive13") != std::string::npos);
    // Loaded, the same feed is read.
    auto ok = test::run_process({test::dockgate_binary(), "gate", report, "--epss", feed, "-q"});
    CHECK_MESSAGE(ok.code == 0, ok.err);
  }
}
