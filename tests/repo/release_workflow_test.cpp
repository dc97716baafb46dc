// .github/workflows/release.yml: valid for GitHub (action-validator), every action pinned by a
// full commit SHA, and it ships exactly what scripts/release-assets.sh writes.
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support.hpp"

using namespace dg;

TEST_CASE("repository: the release workflow is valid and pins every action by commit") {
  auto wf = test::source_dir() / ".github/workflows/release.yml";
  auto text = test::read(wf);
  auto validator = test::source_dir() / "tools/node_modules/.bin/action-validator";
  if (test::need(test::fs::exists(validator), "action-validator")) {
    auto r = test::run_process({validator.string(), wf.string()}, {}, {}, 60, test::source_dir());
    CHECK_MESSAGE(r.code == 0, r.out, r.err);
  }
  std::regex uses(R"(uses:\s*([^\s#]+))");
  int actions = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), uses), end; it != end; ++it, ++actions)
    CHECK_MESSAGE(std::regex_match((*it)[1].str(), std::regex(R"([\w.-]+/[\w.-]+@[0-9a-f]{40})")), (*it)[1].str());
  CHECK(actions >= 3);
  CHECK(text.find("scripts/release-assets.sh") != std::string::npos);
  CHECK(text.find("sha256sum --check") != std::string::npos);
  auto assets = test::read(test::source_dir() / "scripts/release-assets.sh");
  for (auto* name : {"dockgate_${version}_amd64.deb", "dockgate-${version}-linux-x86_64", "dockgate-${version}.cdx.json",
                     "SHA256SUMS"})
    CHECK_MESSAGE(assets.find(name) != std::string::npos, name);
}

TEST_CASE("repository: the SBOM lists the packages a .deb depends on") {
  if (!test::need_program("dpkg-deb") || !test::need_program("dpkg-query")) return;
  test::TempDir tmp;
  // A minimal package depending on libc6 and recommending zlib1g, both installed everywhere.
  test::write(tmp / "pkg/DEBIAN/control", "Package: sbom-probe\nVersion: 1.0\nArchitecture: amd64\n"
                                          "Maintainer: t <t@example.invalid>\nDepends: libc6 (>= 2.34)\n"
                                          "Recommends: zlib1g | zlib1g-ng\nDescription: probe\n");
  auto b = test::run_process({"dpkg-deb", "--root-owner-group", "-b", (tmp / "pkg").string(), (tmp / "p.deb").string()});
  REQUIRE_MESSAGE(b.code == 0, b.err);
  auto r = test::run_process({"/usr/bin/python3", (test::source_dir() / "scripts/sbom.py").string(), (tmp / "p.deb").string(),
                              "9.9.9", "libpugixml-dev"});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  test::write(tmp / "sbom.json", r.out);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["bomFormat"] == "CycloneDX");
  CHECK(j["metadata"]["component"]["version"] == "9.9.9");
  std::map<std::string, std::string> scope;
  for (auto& c : j["components"]) scope[c["name"]] = c["scope"];
  CHECK(scope["libc6"] == "required");
  CHECK(scope["zlib1g"] == "optional");
  CHECK(scope.count("libpugixml-dev") == 1);
  for (auto& c : j["components"])
    if (c["name"] == "libc6") CHECK(c["purl"].get<std::string>().starts_with("pkg:deb/debian/libc6@"));
  // The same inputs give the same document.
  auto again = test::run_process({"/usr/bin/python3", (test::source_dir() / "scripts/sbom.py").string(),
                                  (tmp / "p.deb").string(), "9.9.9", "libpugixml-dev"});
  CHECK(again.out == r.out);
}
