#pragma once
// A real git repository in a temporary directory: a base branch `main` and commits on top of it,
// made with the git on PATH (no network, no global configuration).
#include <string>
#include <vector>

#include "tests/support.hpp"

namespace dg::test {

class GitRepo {
 public:
  GitRepo() {
    git({"init", "-q", "-b", "main"});
  }
  // git with a fixed identity and dates, so commits are reproducible; REQUIREs success.
  std::string git(std::vector<std::string> args) {
    std::vector<std::string> argv{"git", "-c", "user.name=dockgate tests", "-c", "user.email=tests@example.invalid",
                                  "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_process(argv,
                         {{"GIT_CONFIG_GLOBAL", "/dev/null"}, {"GIT_CONFIG_NOSYSTEM", "1"},
                          {"GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z"}, {"GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z"}},
                         {}, 60, dir.path);
    REQUIRE_MESSAGE(r.code == 0, "git " << args.front() << ": " << r.err);
    return r.out;
  }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir / rel).parent_path());
    test::write(dir / rel, text);
  }
  // Stages everything and commits; returns the new commit's sha.
  std::string commit(const std::string& message) {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
    auto sha = git({"rev-parse", "HEAD"});
    while (!sha.empty() && sha.back() == '\n') sha.pop_back();
    return sha;
  }
  std::string root() const { return dir.path.string(); }

  TempDir dir;
};

}  // namespace dg::test
