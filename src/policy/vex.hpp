#pragma once
// VEX statements (OpenVEX, CycloneDX VEX) matched against findings. Pure functions; reading the
// documents is in src/app/vex_file.cpp.
//
// A statement applies to a finding when the vulnerability matches (its id or any alias, either
// side, case-insensitive) AND one of its subjects matches the finding's package: purl type,
// namespace and name, and the version exactly or within the subject's versions/ranges. A subject
// that is the image itself applies to every package found in that image. Of the statements that
// apply to one finding, the latest (by timestamp, then by order of reading) decides.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/run.hpp"

namespace dg::policy {

enum class VexStatus { NotAffected, Affected, Fixed, UnderInvestigation };
std::string_view to_string(VexStatus s);  // not_affected | affected | fixed | under_investigation

// What one statement is about: a package (purl, version ranges) or a whole image.
struct VexSubject {
  std::string purl;                   // package purl, with or without version; empty for an image
  std::vector<std::string> versions;  // CycloneDX affects[].versions[].version: exact
  std::vector<std::string> ranges;    // CycloneDX affects[].versions[].range: vers:<scheme>/<constraints>
  std::string image;                  // the image itself (pkg:oci/… or a name like ghcr.io/o/app:1.2)
  // OpenVEX: a package that is a subcomponent of this image (empty: of any image).
  std::string within;
};

struct VexStatement {
  std::string vulnerability;           // CVE-…, GHSA-…
  std::vector<std::string> aliases;    // the document's other names for it
  VexStatus status = VexStatus::UnderInvestigation;
  std::string justification;           // not_affected: component_not_present, code_not_reachable, …
  std::string impact;                  // not_affected: OpenVEX impact_statement, CycloneDX analysis.detail
  std::string action;                  // affected: what to do (OpenVEX action_statement, CycloneDX response)
  std::string notes;                   // OpenVEX status_notes, CycloneDX detail for other states
  std::int64_t time = 0;               // seconds since the epoch (0: the document gives none)
  std::vector<VexSubject> subjects;    // any one matching is enough
  std::string author;                  // who made the statement: shown as the waiver's owner
  std::string source;                  // file:line of the statement
};

// A parsed package URL (pkg:type/namespace/name@version?qualifiers#subpath), percent-decoded;
// type lower-cased. nullopt when `s` is not a purl.
struct Purl {
  std::string type, ns, name, version;
};
std::optional<Purl> parse_purl(std::string_view s);

// Compares two versions of a package type (deb/apk/rpm/…): <0, 0, >0. Debian's order (epoch,
// `~` before everything) for deb; digits as numbers, and a `-` pre-release before the release
// for semver-like types (npm, golang, cargo, …); digit runs as numbers otherwise.
int compare_versions(std::string_view type, std::string_view a, std::string_view b);

// Whether `vers` (vers:<scheme>/<constraints>, e.g. vers:deb/>=1.1.1|<1.1.1n) is well formed;
// an empty string when it is, else what is wrong.
std::string check_vers(std::string_view vers);
// Whether `version` is within `vers` (assumed well formed; see check_vers).
bool in_vers(std::string_view vers, std::string_view version);

// Whether `s` matches finding `f`'s package (or its image, for an image subject). `image` is the
// image the run is about (dockgate.yml image:), used when a finding names no target of its own.
bool subject_matches(const VexSubject& s, const model::Finding& f, std::string_view image = {});
bool vulnerability_matches(const VexStatement& st, const model::Finding& f);

// Label of a statement for notices: "CVE-… for pkg:…" (or "… for the image …").
std::string label(const VexStatement& st);

// Whether a waiver or notice was written by apply_vex (its reason starts "VEX "), so re-gating
// with a new VEX document can replace them and --strict-waivers can leave them out.
bool is_vex(const model::Waiver& w);
bool is_vex(const model::WaiverNotice& n);

struct VexOutcome {
  std::size_t suppressed = 0;  // findings set aside by not_affected / fixed
  std::size_t annotated = 0;   // findings kept with an affected / under_investigation note
  std::size_t stale = 0;       // statements that matched no finding
};

// Applies the statements: not_affected and fixed set Finding.waiver (reason "VEX …", so every
// writer shows it as waived) unless a waiver applies already; affected adds the action to the
// finding's message, under_investigation its note; both keep it counting. A statement that
// matches no finding becomes a "stale" waiver notice.
VexOutcome apply_vex(model::Run& run, const std::vector<VexStatement>& statements, std::string_view image = {});

}  // namespace dg::policy
