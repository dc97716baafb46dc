#pragma once
// dockgate.yml, typed. Precedence: CLI > env DOCKGATE_* > file > these defaults.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/model/severity.hpp"
#include "src/steps/step_config.hpp"
#include "src/policy/policy.hpp"
#include "src/util/error.hpp"

namespace dg::app {

using steps::ToolStep;
using steps::LintStep;
using steps::SmokeStep;
using steps::SizeStep;
using steps::Seconds;

struct Config {
  std::filesystem::path file;        // where it was loaded from; empty when none
  std::string image;
  std::string dockerfile = "Dockerfile";
  std::string results_dir = ".dockgate";
  // Where a finding's help link points for dockgate's own rules (docs/rules/DGxxx.md): an absolute
  // URL, because a relative one would resolve inside the user's repository and be dead there.
  std::string docs_url = "https://dockgate.dev/docs";
  int jobs = 0;                      // 0 = number of cores
  LintStep lint;
  ToolStep trivy, grype, bandit;
  SmokeStep smoke;
  SizeStep size;
  policy::Policy policy;
  std::string waivers;               // waiver file(s)
  std::vector<std::string> vex;      // VEX documents (OpenVEX, CycloneDX VEX): vex: / --vex
  std::string baseline;              // a previous dockgate result
  bool strict_waivers = false;
  bool review = false;               // inline review comments on the PR/MR (--review)
  std::vector<std::string> kev;      // CISA KEV catalog JSON file(s)
  std::vector<std::string> epss;     // FIRST EPSS CSV file(s), gzip or not
};

using Env = std::map<std::string, std::string>;

// Reads dockgate.yml (and DOCKGATE_* from env) on top of defaults. An invalid file is a Usage
// error with file:line:col and, for a misspelled key, a did-you-mean.
util::Expected<Config> load_config(const std::filesystem::path& file, const Env& env);

// "300MB", "1.2GiB", "500000" -> bytes; "60s", "2m", "1h", "500ms" -> seconds.
util::Expected<std::uint64_t> parse_size(std::string_view text);
util::Expected<Seconds> parse_duration(std::string_view text);

}  // namespace dg::app
