#pragma once
// The diff an inline review is against: `git diff --merge-base BASE HEAD` in the checkout, with
// the base from --review-base or the CI's variables.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "adapters/ci/ci.hpp"
#include "src/app/config.hpp"
#include "src/report/review.hpp"
#include "src/util/error.hpp"

namespace dg::app {

// The refs to try, in order: --review-base; GITHUB_BASE_REF (origin/NAME, then NAME);
// CI_MERGE_REQUEST_DIFF_BASE_SHA; CHANGE_TARGET (Jenkins; origin/NAME, then NAME). Empty when
// none is known.
std::vector<std::string> review_base_candidates(const std::string& flag, const Env& env);

// Runs git in `root` (the source root, which may be a subdirectory of the repository). A base that
// git does not know (a shallow checkout) or no git at all is a Step error saying so; the caller
// turns it into a warning and publishes without the review.
util::Expected<report::Diff> load_review_diff(const std::string& root, const std::string& base_flag, const Env& env);

// Inline review flags (--review, --filter-mode, --max-review-comments, --review-base); gate, run,
// merge and publish share them.
void add_review_options(CLI::App* cmd, bool& review, std::string& filter_mode, std::size_t& max_comments,
                        std::string& base);
// The review part of the publish options: the diff from git in `root` (or why there is none).
void review_options(ci::PublishOptions& po, bool enabled, const std::string& filter_mode, std::size_t max_comments,
                    const std::string& base, const std::string& root, const Env& env);

}  // namespace dg::app
