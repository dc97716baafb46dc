#pragma once
// What dockgate knows about the tools that write SARIF: which step a driver belongs to, what kind
// of findings it reports, and where vulnerability scanners hide the package in their text.
#include <string>
#include <string_view>

#include "src/model/finding.hpp"

namespace dg::ingest::sarif {

enum class Family { Trivy, Grype, Hadolint, Bandit, DockerScout, SecretScanner, Generic };

struct ToolProfile {
  Family family = Family::Generic;
  std::string step;  // trivy, grype, lint, bandit, or the tool's name lowercased with '-' for spaces
  std::string tool;  // Finding.tool / StepResult.tool
};

// From tool.driver.name, case-insensitively ("Trivy", "Anchore Grype Scan", "docker scout", …).
ToolProfile profile_for(std::string_view driver_name);

// True for scanners whose every result is a vulnerability in a package.
bool reports_vulnerabilities(Family f);

// The first CVE-YYYY-N… or GHSA-xxxx-xxxx-xxxx inside `s` (grype writes "CVE-2021-1-openssl",
// old trivy templates "[HIGH] CVE-2021-1"), normalized to upper case; empty when none.
std::string find_vuln_id(std::string_view s);

// Package facts gathered from a result's text; each setter keeps what is already known.
struct PackageFacts {
  std::string name, version, fixed, type, purl, path;
};

// "Key: value" lines, as trivy ("Package: x\nInstalled Version: y\nFixed Version: z"), grype's
// rule help ("Package: x\nVersion: y\nFix Version: z\nType: t\nLocation: l") and Docker Scout
// ("  Package         : pkg:deb/debian/x@y") write them.
void facts_from_fields(std::string_view text, PackageFacts& p);
// grype's result messages: "… in rpm package: NAME, version V was found …" (0.40+) and
// "The path P reports NAME at version V which …" (older).
void facts_from_grype_message(std::string_view text, PackageFacts& p);
// The last "name@version" token of `text` ("alpine-310.tar.gz: libcrypto1.1@1.1.1c-r0").
void facts_from_at_version(std::string_view text, PackageFacts& p);
// pkg:type/namespace/name@version?qualifiers#subpath
void facts_from_purl(std::string_view purl, PackageFacts& p);

// "not fixed", "none", "n/a", "": the words scanners use for "no fix known".
bool no_fix(std::string_view version);

// Percent-decoding of URI paths ("%20" -> " "); invalid escapes are kept as written.
std::string percent_decode(std::string_view s);

}  // namespace dg::ingest::sarif
