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
#include "src/policy/policy.hpp"
#include "src/util/error.hpp"

namespace dg::app {

using Seconds = std::chrono::duration<double>;

// hadolint, trivy, grype, bandit: run as a child process, or ingest a report already written.
struct ToolStep {
  bool configured = false;           // the key is present in steps:
  std::string tool;                  // executable (or builtin|hadolint|both for lint)
  std::vector<std::string> args;     // extra arguments, appended after ours
  std::vector<std::string> paths;    // bandit: what to scan
  std::string report;                // ingest this file instead of running the tool
  Seconds timeout{600};
};

struct LintStep : ToolStep {
  std::vector<std::string> disable;                    // rule ids turned off (DG101, DL3008)
  std::map<std::string, model::Severity> severity;     // per-rule severity overrides
};

struct SmokeStep {
  bool configured = false;
  std::vector<std::string> run;      // a command to start the service (any process)
  std::string image;                 // or an image: docker run --rm -d -p PORT:PORT IMAGE
  std::vector<std::string> ports;    // docker -p values
  std::string url;                   // polled until ready
  int expect_status = 200;
  std::string expect_body;           // substring, or /regex/
  Seconds timeout{60};
  Seconds interval{1};
  Seconds stop_timeout{10};          // it must stop within this after SIGTERM
  bool check_stop = true;
  bool check_non_root = true;
  int log_lines = 40;
};

struct SizeStep {
  bool configured = false;
  std::string image;                 // docker image ref (docker image inspect)
  std::string inspect;               // a docker image inspect JSON file
  std::string archive;               // a docker save tar
  std::string oci;                   // an OCI image layout directory (optionally dir:tag)
  std::optional<std::uint64_t> max_bytes;
  std::optional<double> max_growth_percent;
  std::optional<std::uint64_t> max_growth_bytes;
  std::optional<double> lowest_efficiency;           // dive's CI gates, 0..1
  std::optional<std::uint64_t> highest_wasted_bytes;
  std::optional<double> highest_user_wasted_percent; // 0..1
  std::optional<int> max_age_days;
};

struct Config {
  std::filesystem::path file;        // where it was loaded from; empty when none
  std::string image;
  std::string dockerfile = "Dockerfile";
  std::string results_dir = ".dockgate";
  int jobs = 0;                      // 0 = number of cores
  LintStep lint;
  ToolStep trivy, grype, bandit;
  SmokeStep smoke;
  SizeStep size;
  policy::Policy policy;
  std::string waivers;               // waiver file(s)
  std::string baseline;              // a previous dockgate result
  bool strict_waivers = false;
};

using Env = std::map<std::string, std::string>;

// Reads dockgate.yml (and DOCKGATE_* from env) on top of defaults. An invalid file is a Usage
// error with file:line:col and, for a misspelled key, a did-you-mean.
util::Expected<Config> load_config(const std::filesystem::path& file, const Env& env);

// "300MB", "1.2GiB", "500000" -> bytes; "60s", "2m", "1h", "500ms" -> seconds.
util::Expected<std::uint64_t> parse_size(std::string_view text);
util::Expected<Seconds> parse_duration(std::string_view text);

}  // namespace dg::app
