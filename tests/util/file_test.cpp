// Issue 16 rows 7 and 14: every input is opened once, must be a regular file (or - for stdin),
// and is refused before reading when it is a FIFO, a device or over its size limit.
#include <sys/stat.h>

#include "src/util/file.hpp"
#include "tests/sanitizers.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("util.file") {
  TEST_CASE("open_input refuses a FIFO a device and a directory without blocking") {
    test::TempDir tmp;
    REQUIRE(::mkfifo((tmp / "fifo").c_str(), 0600) == 0);
    auto fifo = util::read_file(tmp / "fifo");
    REQUIRE(!fifo);
    CHECK(fifo.error().kind == util::ErrorKind::Input);
    CHECK(fifo.error().message.find("a FIFO") != std::string::npos);
    auto dev = util::read_file("/dev/zero");
    REQUIRE(!dev);
    CHECK(dev.error().message.find("a character device") != std::string::npos);
    CHECK(!util::read_file(tmp.path));
    test::write(tmp / "big", std::string(2000, 'x'));
    auto big = util::read_file(tmp / "big", 0, 1000);
    REQUIRE(!big);
    CHECK(big.error().message.find("over the limit of 1000") != std::string::npos);
    CHECK(util::read_file(tmp / "big", 0, 2000).value().size() == 2000);
  }

  TEST_CASE("a FIFO as report config waivers baseline Dockerfile or step summary is an error not a hang") {
    // Row 7. Run as a process with a timeout: the old code blocked in open() forever.
    test::TempDir tmp;
    auto fifo = (tmp / "fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto report = test::corpus("hadolint/dd-one_dockerfile.json").string();
    struct Case {
      std::vector<std::string> args;
      std::map<std::string, std::string> env;
      int code;
    };
    const std::vector<Case> cases{
        {{"gate", fifo}, {}, 3},
        {{"gate", report, "-c", fifo}, {}, 2},
        {{"gate", report, "--waivers", fifo}, {}, 2},
        {{"gate", report, "--baseline", fifo}, {}, 3},
        {{"lint", fifo}, {}, 3},
    };
    for (auto& c : cases) {
      std::vector<std::string> argv{test::dockgate_binary()};
      argv.insert(argv.end(), c.args.begin(), c.args.end());
      argv.push_back("--fail-on");
      argv.push_back("none");
      CAPTURE(c.args[2 < c.args.size() ? 2 : 1]);
      auto r = test::run_process(argv, c.env, {}, 20, tmp.path);
      CHECK_MESSAGE(r.code == c.code, r.err);
      CHECK_MESSAGE(r.err.find("a FIFO (named pipe), not a regular file") != std::string::npos, r.err);
    }
    // The job summary: a warning, the gate's verdict stands.
    auto r = test::run_process({test::dockgate_binary(), "gate", report, "--summary", "--fail-on", "none"},
                               {{"GITHUB_STEP_SUMMARY", fifo}}, {}, 20, tmp.path);
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.err.find("cannot write the job summary") != std::string::npos);
  }

  TEST_CASE("/dev/zero as a report or as -c is refused before reading") {
    // Row 14: the old code read until the 4 GiB limit (27-30 s, 4-8 GB of memory) first. Under a
    // 1 GiB address-space limit only the check before reading can answer.
    for (auto args : {std::vector<std::string>{"gate", "/dev/zero"},
                      std::vector<std::string>{"gate", test::corpus("hadolint/dd-one_dockerfile.json").string(), "-c",
                                               "/dev/zero"}}) {
      std::string cmd = test::address_space_limit(1048576) + "exec \"$0\" \"$@\"";
      std::vector<std::string> argv{"/bin/sh", "-c", cmd, test::dockgate_binary()};
      argv.insert(argv.end(), args.begin(), args.end());
      auto r = test::run_process(argv, {}, {}, 30);
      CHECK_MESSAGE((r.code == 2 || r.code == 3), r.err);
      CHECK_MESSAGE(r.err.find("a character device, not a regular file") != std::string::npos, r.err);
    }
  }

  TEST_CASE("a report given as - is read from stdin") {
    auto r = test::run_process({test::dockgate_binary(), "gate", "-", "--json", "-", "-q", "--fail-on", "none"}, {},
                               test::read(test::corpus("hadolint/dd-one_dockerfile.json")), 30);
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.front() == '{');
  }
}
