#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/model/severity.hpp"
#include "src/util/boxed.hpp"

namespace dg::model {

// What kind of thing a finding is; drives how reports show it and how it dedups.
enum class Kind { Vulnerability, Misconfiguration, Secret, License, Code, Lint, Image, Smoke, Other };
std::string_view to_string(Kind k);
Kind parse_kind(std::string_view s);  // Other when unknown

// A place in source (path:line:col) or in an image (target + layer). Either may be empty.
struct Location {
  std::string path;  // relative to the source root after model::normalize_paths (see paths.hpp)
  int line = 0;      // 1-based, 0 = none
  int column = 0;
  int end_line = 0;
  std::string target;  // image or scan target, e.g. "alpine:3.10 (alpine 3.10.2)"
  std::string layer;   // layer digest or diff id
  std::string snippet; // the code line, if the tool gave it (never for secrets)
  // Set by model::normalize_paths when `path` is not under the source root: it stays as the tool
  // wrote it, and writers must not present it as a repository file.
  bool outside_root = false;
};

struct Package {
  std::string name;
  std::string version;        // installed
  std::string fixed_version;  // empty when no fix is known
  std::string purl;
  std::string type;           // e.g. deb, apk, python, npm
  std::string path;           // lang packages: the file the package was found in
};

enum class BaselineState { None, New, Unchanged, Fixed };
std::string_view to_string(BaselineState b);

struct Waiver {
  std::string id;       // what the waiver matched on, as written in the waiver file
  std::string reason;
  std::string owner;
  std::string expires;  // YYYY-MM-DD, empty = never
  std::string source;   // waiver file
};

// How likely a vulnerability is to be exploited, and whether it is: grype's `epss`,
// `knownExploited` and `risk`, or the offline feeds (--kev, --epss). -1 / empty = no data, which
// policy treats as "unknown", never as "unlikely".
struct Risk {
  double epss = -1;             // FIRST EPSS probability of exploitation in 30 days, 0..1
  double epss_percentile = -1;  // 0..1
  std::string epss_date;        // YYYY-MM-DD the score is for
  bool kev = false;             // listed in CISA's Known Exploited Vulnerabilities catalog
  std::string kev_added;        // YYYY-MM-DD
  std::string kev_due;          // YYYY-MM-DD
  std::string kev_action;       // requiredAction
  std::string kev_ransomware;   // knownRansomwareCampaignUse: Known | Unknown
  double risk = -1;             // grype's risk score (0..100)
  bool any() const { return epss >= 0 || kev || risk >= 0; }
};

struct Finding {
  std::string tool;     // the tool that reported it: trivy, grype, hadolint, bandit, dockgate, …
  std::string rule_id;  // CVE-2021-1234, DL3008, B105, DG101
  std::vector<std::string> aliases;  // other ids of the same issue (CVE <-> GHSA, vendor ids)
  Severity severity = Severity::Unknown;
  std::string tool_severity;  // the tool's own word, kept verbatim
  Kind kind = Kind::Other;
  std::string title;    // one line
  std::string message;  // longer text; may be empty
  Location location;
  Package package;
  std::string help_uri;
  // A rule that knows its mechanical fix carries it as data: the text lines location.line ..
  // location.end_line should read (review comments offer it as a suggestion). Empty when none.
  std::string fix;
  std::string confidence;  // bandit HIGH/MEDIUM/LOW, grype match type, …
  std::vector<std::string> sources;  // every tool that reported it (>1 after cross-scanner dedup)
  std::vector<std::string> source_severities;  // "grype:high", when sources disagree
  Risk risk;  // vulnerabilities only
  util::Boxed<Waiver> waiver;  // set when a waiver applies (seldom: kept out of line)
  BaselineState baseline = BaselineState::None;
  std::string fingerprint;  // line-independent, see fingerprint.hpp
  // Whether the finding counts against the verdict (set by policy::evaluate), so every writer
  // shows the same thing the gate decided; why_not says why not.
  bool gating = true;
  std::string why_not;  // waived | unfixed | below-threshold | below-epss-threshold | not-new; empty when gating
};

}  // namespace dg::model
