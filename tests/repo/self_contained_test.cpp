// The repository is all a user has: nothing tracked may point at the reference folder that sits
// beside the checkout on the developers' machines.
#include "tests/support.hpp"

namespace dg::test {

TEST_CASE("repository: no tracked file refers to the folder beside the checkout") {
  if (!need_program("git")) return;
  if (!fs::exists(source_dir() / ".git")) return;  // a source tarball has no git metadata to list
  // Built from pieces so this file does not match itself.
  const std::string needle = std::string("..") + "/" + "shared";
  auto r = run_process({"git", "-C", source_dir().string(), "grep", "-n", "-F", needle, "--", "."});
  INFO(r.out);
  CHECK(r.code == 1);  // git grep: 1 = no match
  CHECK(r.out.empty());
}

TEST_CASE("repository: the corpus the tests read is in tests/data with its sources") {
  CHECK(fs::exists(corpus("SOURCES.md")));
  CHECK(fs::is_directory(corpus("trivy")));
  CHECK(fs::equivalent(corpus().parent_path(), source_dir() / "tests" / "data"));
}

}  // namespace dg::test
