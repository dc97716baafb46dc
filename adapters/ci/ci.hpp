#pragma once
// CI platforms: where are we (from the environment alone), and how results reach reviewers.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/model/run.hpp"
#include "src/report/review.hpp"
#include "src/util/error.hpp"
#include "src/util/http.hpp"

namespace dg::ci {

using Env = std::map<std::string, std::string>;

// GitHub Actions, GitLab CI, Jenkins, or local. Never fails: what is missing stays empty.
model::Context detect(const Env& env);

struct PublishOptions {
  std::string platform = "auto";   // auto|github|gitlab|jenkins
  std::string token_env;           // name of the env var holding the token (never the token)
  std::string marker_key;          // sticky comment key; default: job / workflow name
  bool check_run = false;          // GitHub: also a check run with annotations
  bool dry_run = false;            // no network: say what would be sent, return the body
  bool summary_written = false;    // the caller already appended the Markdown to the job summary
  std::string out_dir = ".";       // Jenkins without a PR: where junit/sarif files go
  // Inline review (--review): findings on the lines the PR changed become review comments
  // (GitHub) or MR discussions (GitLab); a finding gone on a re-run gets its thread resolved.
  struct Review {
    bool enabled = false;
    report::FilterMode filter = report::FilterMode::Added;
    std::size_t max_comments = 50;
    std::optional<report::Diff> diff;  // from git (src/app); none: no review, with a warning
    std::string no_diff;               // why there is no diff
  } review;
};

struct PublishOutcome {
  std::string action;   // created | updated | skipped | degraded | written
  std::string detail;   // URL of the comment, or why it degraded / was skipped
  std::string body;     // the comment that was (or, with dry_run, would be) posted
  std::vector<std::string> warnings;  // already logged; kept for callers and tests
  std::string review;       // what the inline review did, one line ("" without --review)
  // Set when the review degraded (fork PR, read-only token): GitHub workflow commands for the
  // findings it would have commented on, for the caller to print on stdout as annotations.
  std::string annotations;
};

// How hard to try when the API answers 429/5xx or times out. The clock and the sleep are
// injectable so tests neither wait nor depend on today.
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds first_delay{1000};
  std::chrono::milliseconds max_delay{60'000};    // one wait, also caps Retry-After
  std::chrono::milliseconds max_total{180'000};   // all waits of one request together
  std::function<void(std::chrono::milliseconds)> sleep;      // default: this_thread::sleep_for
  std::function<std::chrono::system_clock::time_point()> now;  // default: system_clock::now
};

// Posts or updates the sticky PR/MR comment for `run`. Network faults are Step errors; a
// read-only token on a fork PR degrades to the job summary (not an error).
util::Expected<PublishOutcome> publish(const model::Run& run, const PublishOptions& opt, const Env& env);

// The same over a given transport (tests inject a fake one) and retry policy.
util::Expected<PublishOutcome> publish(const model::Run& run, const PublishOptions& opt, const Env& env,
                                       util::HttpTransport& http, const RetryPolicy& retry = {});

}  // namespace dg::ci
