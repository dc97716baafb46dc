#pragma once
// What each step is asked to do, as configured in dockgate.yml (src/app/config.cpp fills these).
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/model/severity.hpp"

namespace dg::steps {

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
  std::string baseline;              // a previous dockgate result for max-growth (default: the top-level baseline)
};

}  // namespace dg::steps
