#pragma once
// CI platforms: where are we (from the environment alone), and how results reach reviewers.
#include <map>
#include <string>

#include "src/model/run.hpp"
#include "src/util/error.hpp"

namespace dg::ci {

using Env = std::map<std::string, std::string>;

// GitHub Actions, GitLab CI, Jenkins, or local.
model::Context detect(const Env& env);

struct PublishOptions {
  std::string platform = "auto";   // auto|github|gitlab|jenkins
  std::string token_env;           // name of the env var holding the token (never the token)
  std::string marker_key;          // sticky comment key; default: job / workflow name
  bool check_run = false;          // GitHub: also a check run with annotations
  std::string out_dir = ".";       // Jenkins without a PR: where junit/sarif files go
};

struct PublishOutcome {
  std::string action;   // created | updated | skipped | degraded
  std::string detail;   // URL of the comment, or why it degraded
};

// Posts or updates the sticky PR/MR comment for `run`. Network faults are Step errors; a
// read-only token on a fork PR degrades to the job summary (not an error).
util::Expected<PublishOutcome> publish(const model::Run& run, const PublishOptions& opt, const Env& env);

}  // namespace dg::ci
