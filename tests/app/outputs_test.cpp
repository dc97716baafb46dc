// Issue 16 rows 8, 9 and 16: an output path is given once, "-" at most once, and an existing
// output that is not a regular file is refused, never replaced.
#include <sys/stat.h>

#include "tests/steps/steps_support.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {
std::string report() { return test::corpus("hadolint/dd-one_dockerfile.json").string(); }
}  // namespace

TEST_SUITE("app.outputs") {
  TEST_CASE("the same path for --json --sarif --junit is a usage error before anything is written") {
    test::TempDir tmp;
    auto x = (tmp / "x").string();
    auto r = test::cli({"gate", report(), "--json", x, "--sarif", x, "--junit", x, "-q"});
    CHECK(r.code == 2);
    CHECK_MESSAGE(r.err.find("--json and --junit both write to " + x) != std::string::npos, r.err);
    CHECK(!test::fs::exists(x));
    // Two spellings of one file are one path.
    auto dot = (tmp.path / "." / "x").string();
    auto r2 = test::cli({"gate", report(), "--json", x, "--codequality", dot, "-q"});
    CHECK(r2.code == 2);
  }

  TEST_CASE("--json - --sarif - is a usage error: stdout takes one document") {
    auto r = test::cli({"gate", report(), "--json", "-", "--sarif", "-", "-q"});
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK_MESSAGE(r.err.find("both write to stdout") != std::string::npos, r.err);
    auto a = test::cli({"gate", report(), "--junit", "-", "--annotations", "-q"});
    CHECK(a.code == 2);
  }

  TEST_CASE("an output path that is a symlink FIFO or device is refused and left as it was") {
    test::TempDir tmp;
    test::write(tmp / "target.json", "keep me");
    test::fs::create_symlink(tmp / "target.json", tmp / "link.json");
    REQUIRE(::mkfifo((tmp / "fifo.json").c_str(), 0600) == 0);
    for (std::string path : {(tmp / "link.json").string(), (tmp / "fifo.json").string(), std::string("/dev/null")}) {
      CAPTURE(path);
      auto before = test::fs::symlink_status(path).type();
      auto r = test::cli({"gate", report(), "--json", path, "-q"});
      CHECK(r.code == 2);
      CHECK_MESSAGE(r.err.find("dockgate replaces only regular files") != std::string::npos, r.err);
      CHECK(test::fs::symlink_status(path).type() == before);
    }
    CHECK(test::read(tmp / "target.json") == "keep me");
    // A regular file is replaced as before.
    test::write(tmp / "old.json", "old");
    auto ok = test::cli({"gate", report(), "--json", (tmp / "old.json").string(), "-q", "--fail-on", "none"});
    CHECK(ok.code == 0);
    CHECK(test::read(tmp / "old.json").front() == '{');
  }

  TEST_CASE("one output named by two flags is a usage error: merge -o and --json and lint -o and --sarif") {
    // -o wrote the output and the other flag's path was dropped without a word (exit 0).
    test::TempDir tmp;
    auto result = (tmp / "r.json").string();
    REQUIRE(test::cli({"gate", report(), "--json", result, "-q", "--fail-on", "none"}).code == 0);
    auto m = test::cli({"merge", result, "-o", (tmp / "x.json").string(), "--json", (tmp / "y.json").string(), "-q"});
    CHECK(m.code == 2);
    CHECK_MESSAGE(m.err.find("-o and --json both name the result JSON") != std::string::npos, m.err);
    CHECK(!test::fs::exists(tmp / "x.json"));
    CHECK(!test::fs::exists(tmp / "y.json"));
    test::write(tmp / "Dockerfile", "FROM debian:12\nRUN apt-get install -y curl\n");
    auto l = test::cli({"lint", (tmp / "Dockerfile").string(), "--format", "sarif", "-o", (tmp / "l.sarif").string(),
                        "--sarif", (tmp / "m.sarif").string(), "-q", "--fail-on", "none"});
    CHECK(l.code == 2);
    CHECK_MESSAGE(l.err.find("-o and --sarif both name the sarif output") != std::string::npos, l.err);
    CHECK(!test::fs::exists(tmp / "l.sarif"));
    CHECK(!test::fs::exists(tmp / "m.sarif"));
    // The same path twice, or only one of the flags, is one output as before.
    auto x = (tmp / "x.json").string();
    auto same = test::cli({"merge", result, "-o", x, "--json", x, "-q"});
    CHECK_MESSAGE(same.code == 0, same.err);
    CHECK(test::fs::exists(tmp / "x.json"));
  }

  TEST_CASE("a smoke-test log in results-dir that is a symlink or FIFO is refused not followed or waited on") {
    // results-dir (.dockgate by default) sits in the checkout: a symlink committed as
    // .dockgate/smoke-test.log had its target truncated and filled with the service's output, and
    // a FIFO there hung dockgate in posix_spawn for good (not even SIGTERM ended it).
    for (bool fifo : {false, true}) {
      CAPTURE(fifo);
      test::TempDir tmp;
      test::write(tmp / "victim", "precious\n");
      test::fs::create_directories(tmp / "out");
      if (fifo) REQUIRE(::mkfifo((tmp / "out" / "smoke-test.log").c_str(), 0600) == 0);
      else test::fs::create_symlink(tmp / "victim", tmp / "out" / "smoke-test.log");
      int port = test::free_port();
      std::string run = "[";
      for (auto& a : test::server_cmd(port)) run += (run.size() > 1 ? ", " : "") + nlohmann::json(a).dump();
      run += "]";
      test::write(tmp / "dockgate.yml", "results-dir: " + (tmp / "out").string() + "\nsteps:\n  smoke-test:\n    run: " +
                                            run + "\n    url: http://127.0.0.1:" + std::to_string(port) +
                                            "/health\n    interval: 100ms\n    stop-timeout: 3s\n");
      auto r = test::run_process({test::dockgate_binary(), "run", "--config", (tmp / "dockgate.yml").string(), "-q"},
                                 {}, {}, 30, tmp.path);
      CHECK_MESSAGE(r.code == 4, r.err);
      CHECK_MESSAGE(r.err.find("dockgate replaces only regular files") != std::string::npos, r.err);
      CHECK(test::read(tmp / "victim") == "precious\n");
    }
  }
}
