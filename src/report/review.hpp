#pragma once
// Inline review: which findings land on which changed line of a pull request, and what each
// review comment says. Pure: the diff comes in as `git diff` text (src/app runs git) and the
// forge requests are adapters/ci's (review.cpp there).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/model/run.hpp"
#include "src/util/error.hpp"

namespace dg::report {

// reviewdog's -filter-mode: which findings may become review comments.
enum class FilterMode {
  Added,        // on a line the change adds (the default)
  DiffContext,  // anywhere inside the diff's hunks, context lines included
  File,         // anywhere in a file the change touches
  NoFilter,     // everywhere
};
std::optional<FilterMode> parse_filter_mode(std::string_view s);
std::string_view to_string(FilterMode m);

// One file's side of the diff, in new-file line numbers.
struct FileDiff {
  std::vector<int> added;                  // lines the change adds, ascending
  std::vector<std::pair<int, int>> hunks;  // [first, last] of each hunk, context included
  std::map<int, int> old_line;             // context lines: new line -> old line (GitLab positions)
};

struct Diff {
  std::map<std::string, FileDiff> files;  // by new path, relative to the repository top level
  // Where the source root sits in the repository ("svc/" when dockgate ran on a subdirectory,
  // "" at the top): model paths are relative to the source root, forge paths to the repository.
  std::string prefix;

  const FileDiff* file(const std::string& repo_path) const;
  bool is_added(const std::string& repo_path, int line) const;
  // The hunk that holds `line`, or nullptr: a forge anchors comments on hunk lines only.
  const std::pair<int, int>* hunk_of(const std::string& repo_path, int line) const;
};

// Parses `git diff` output (any -U, a/ b/ prefixes, C-quoted names). Deleted files have no new
// side and are left out; renamed files count under their new path. A malformed hunk header is an
// Input error naming the diff line.
util::Expected<Diff> parse_git_diff(std::string_view text);

// Whether a finding at `loc` passes the filter. A location without a file or line, or one outside
// the source root, never does: there is no repository line to put it on.
bool passes_filter(const Diff& d, const model::Location& loc, FilterMode m);

// The hidden marker that ties a review comment to its finding: re-runs find it and never
// comment twice. `key` keeps two pipelines' reviews on one PR apart.
std::string review_marker(const std::string& fingerprint, const std::string& key);
// The fingerprint a comment body's marker carries for `key`; "" when it has none of ours.
std::string marker_fingerprint(std::string_view body, const std::string& key);

// A review comment's text: severity, rule, title, message, a ```suggestion block when the
// finding carries a fix for exactly the lines the comment covers, the help link, the marker.
std::string review_comment_body(const model::Finding& f, const std::string& key, bool with_suggestion);

struct ReviewComment {
  const model::Finding* finding = nullptr;
  std::string path;     // repository-relative
  int line = 0;         // the (last) line
  int start_line = 0;   // first line of a multi-line comment; 0 for one line
  bool added = false;   // `line` is an added line (GitLab anchors context lines differently)
  std::string fingerprint;
  std::string body;
};

struct ReviewPlan {
  std::vector<ReviewComment> comments;   // new comments to post, at most the cap
  std::set<std::string> present;         // fingerprints of every finding in the run (still there)
  std::size_t already = 0;               // passed the filter but a comment exists from a run before
  std::size_t outside_filter = 0;        // have a file and line, but the filter left them out
  std::size_t not_in_diff = 0;           // passed the filter, but no forge takes a comment there
  std::size_t capped = 0;                // over --max-review-comments: in the summary comment only
};

// Picks the comments of one run. `existing` holds the fingerprints that already have a comment.
// Waived findings get none. A finding's range becomes a multi-line comment when it lies within
// one hunk.
ReviewPlan plan_review(const model::Run& run, const Diff& d, FilterMode m, std::size_t cap,
                       const std::set<std::string>& existing, const std::string& key);

}  // namespace dg::report
