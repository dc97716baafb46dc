// Issue 12: help links of dockgate's own rules are absolute (a repository-relative docs/rules/
// link is dead in the user's repository), and docs-url: points them elsewhere.
#include <nlohmann/json.hpp>

#include "tests/support.hpp"

using namespace dg;

namespace {
std::vector<std::string> help_uris(const test::fs::path& result) {
  auto j = nlohmann::json::parse(test::read(result));
  std::vector<std::string> out;
  for (auto& s : j["steps"])
    for (auto& f : s["findings"])
      if (f.contains("help_uri")) out.push_back(f["help_uri"]);
  return out;
}
}  // namespace

TEST_SUITE("app.docs_url") {
  TEST_CASE("a DG rule links to an absolute docs URL that docs-url can change") {
    test::TempDir tmp;
    test::write(tmp / "Dockerfile", "FROM alpine:latest\nRUN apk add curl\n");
    auto out = tmp / "r.json";
    auto r = test::cli({"lint", (tmp / "Dockerfile").string(), "--format", "json", "-o", out.string(), "--fail-on", "none"});
    CHECK_MESSAGE(r.code == 0, r.err);
    auto uris = help_uris(out);
    REQUIRE_FALSE(uris.empty());
    for (auto& u : uris) CHECK_MESSAGE(u.starts_with("https://dockgate.dev/docs/rules/DG"), u);

    test::write(tmp / "dockgate.yml", "docs-url: https://docs.example.org/dockgate/\n");
    auto r2 = test::cli({"lint", (tmp / "Dockerfile").string(), "--config", (tmp / "dockgate.yml").string(), "--format",
                         "json", "-o", out.string(), "--fail-on", "none"});
    CHECK_MESSAGE(r2.code == 0, r2.err);
    for (auto& u : help_uris(out)) CHECK_MESSAGE(u.starts_with("https://docs.example.org/dockgate/rules/DG"), u);
  }

  TEST_CASE("docs-url must be absolute") {
    test::TempDir tmp;
    test::write(tmp / "Dockerfile", "FROM alpine:3.20\n");
    test::write(tmp / "dockgate.yml", "docs-url: docs/\n");
    auto r = test::cli({"lint", (tmp / "Dockerfile").string(), "--config", (tmp / "dockgate.yml").string()});
    CHECK(r.code == 2);
    CHECK(r.err.find("docs-url must be an absolute") != std::string::npos);
  }
}
