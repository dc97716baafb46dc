// `cmake --install` (it copies what the build made; it builds nothing): the binary, dockgate(1)
// and the three completions land where Debian's man, bash, zsh and fish look for them.
#include "tests/support.hpp"

using namespace dg;

TEST_CASE("repository: cmake --install puts the binary and its man page and completions") {
  if (!test::need_program("cmake")) return;
  test::TempDir prefix;
  auto build = test::fs::path(test::dockgate_binary()).parent_path();
  auto r = test::run_process({"cmake", "--install", build.string(), "--prefix", prefix.path.string()}, {}, {}, 120);
  REQUIRE_MESSAGE(r.code == 0, r.out, r.err);
  for (auto* f : {"bin/dockgate", "share/man/man1/dockgate.1", "share/bash-completion/completions/dockgate",
                  "share/zsh/vendor-completions/_dockgate", "share/fish/vendor_completions.d/dockgate.fish"})
    CHECK_MESSAGE(test::fs::exists(prefix / f), f);
  auto v = test::run_process({(prefix / "bin/dockgate").string(), "--version"});
  CHECK(v.code == 0);
  CHECK(v.out.starts_with("dockgate "));
  // What was installed is what the binary says now: the build regenerates it.
  CHECK(test::read(prefix / "share/man/man1/dockgate.1") == test::cli({"man"}).out);
  CHECK(test::read(prefix / "share/bash-completion/completions/dockgate") == test::cli({"completion", "bash"}).out);
}
