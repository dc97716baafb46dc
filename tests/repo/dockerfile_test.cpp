// Our own image passes our own gate: the repository's Dockerfile has no finding at all from
// `dockgate lint`, info included.
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace dg;

TEST_CASE("repository: our Dockerfile passes dockgate lint with zero findings") {
  test::TempDir tmp;
  auto out = tmp / "lint.json";
  auto r = test::cli({"lint", (test::source_dir() / "Dockerfile").string(), "--format", "json", "-o", out.string(),
                      "--fail-on", "info"});
  auto j = nlohmann::json::parse(test::read(out));
  std::string found;
  for (auto& s : j["steps"])
    for (auto& f : s["findings"]) found += f.value("rule_id", "") + " line " + std::to_string(f.value("line", 0)) + ": " +
                                           f.value("title", "") + "\n";
  CHECK_MESSAGE(found.empty(), found);
  CHECK_MESSAGE(r.code == 0, r.err);
}

TEST_CASE("repository: the Dockerfile is multi-stage and pinned and runs as non-root") {
  auto text = test::read(test::source_dir() / "Dockerfile");
  CHECK(text.find("@sha256:") != std::string::npos);
  CHECK(text.find(" AS build") != std::string::npos);
  CHECK(text.find("COPY --from=build") != std::string::npos);
  CHECK(text.find("USER 10001") != std::string::npos);
  CHECK(text.find("ENTRYPOINT [\"dockgate\"]") != std::string::npos);
  // The build stage COPYs exactly what .dockerignore lets through.
  auto ignore = test::read(test::source_dir() / ".dockerignore");
  for (auto* kept : {"\nsrc", "\nadapters", "\ncmake", "\nschemas", "\nCMakeLists.txt"}) CHECK(ignore.find(kept) == std::string::npos);
  CHECK(ignore.find("\n.git\n") != std::string::npos);
}
