#pragma once
// Waivers: accepted risks, matched against findings. Pure functions; reading the files is in
// src/app/waivers_file.cpp.
#include <string>
#include <vector>

#include "src/model/run.hpp"

namespace dg::policy {

// One waiver entry, whatever file it came from (.dockgate-waivers.yml, .trivyignore,
// .trivyignore.yaml, .grype.yaml). Every non-empty matcher must match (AND); a rule has at least
// one matcher.
struct WaiverRule {
  std::string id;            // finding id or alias (CVE-…, GHSA-…), case-insensitive
  std::string rule;          // rule id (DL3008, B105), case-insensitive
  std::string package;       // package name
  std::string version;       // package version (with package)
  std::string package_type;  // deb, npm, python, … (grype package.type)
  std::string purl;          // package URL, matched with or without version and qualifiers
  std::string fix_state;     // fixed | not-fixed | unknown (grype fix-state)
  std::string path;          // glob over the finding's file path or package path
  std::string fingerprint;   // a finding fingerprint (with or without the ":N" occurrence suffix)
  std::string reason;        // required in .dockgate-waivers.yml
  std::string owner;
  std::string expires;       // YYYY-MM-DD, empty = never; the waiver stops applying the day after
  std::string source;        // file:line it came from
};

// Whether `w` matches `f` (expiry is not looked at).
bool matches(const WaiverRule& w, const model::Finding& f);

// The label a notice and a waived finding show for a rule: its id, rule, package, … whichever
// it has.
std::string label(const WaiverRule& w);

struct WaiverOutcome {
  std::size_t waived = 0;  // findings a waiver now applies to
  std::size_t stale = 0;   // unexpired waivers that matched nothing
};

// Sets Finding.waiver on every finding a live waiver matches (the first in file order wins),
// and adds a notice for each expired waiver and each stale one. Findings are looked up by hash
// from the rule's id, rule, fingerprint or package; only path/type/fix-state-only rules are
// tried against every finding. `today` is YYYY-MM-DD.
WaiverOutcome apply_waivers(model::Run& run, const std::vector<WaiverRule>& rules, const std::string& today);

// Whether `date` (YYYY-MM-DD) is a real calendar date.
bool valid_date(std::string_view date);

}  // namespace dg::policy
