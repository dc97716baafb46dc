#pragma once
#include <string>
#include <string_view>

#include "adapters/ingest/input.hpp"
#include "adapters/ingest/report.hpp"
#include "src/util/json_depth.hpp"

namespace dg::ingest {

// A recognized format: its family (what --format names) and the parser for it.
struct Format {
  std::string family;  // trivy, grype, hadolint, bandit, sarif, dockgate, codeclimate, gitlab, asff
  std::string variant; // e.g. trivy-json-v2, bandit-csv
  ParseFn parse = nullptr;
  // For a format several tools share (SARIF): the family of the tool that wrote it (trivy, grype,
  // hadolint, bandit), so `--format trivy` also accepts trivy's SARIF. Empty otherwise.
  std::string tool = {};
};

// Recognizes a report from its content, never its name. On failure, an Input error that says
// what the file looked like.
util::Expected<Format> sniff(Input& in);  // may repair invalid UTF-8 (Input::check_utf8)

// No report nests this deep; simdjson's own limit is the same.
inline constexpr std::size_t kMaxJsonDepth = util::kMaxJsonDepth;

// Sniffing reads only the first MiB of a big report: that prefix, cut outside any string, with
// the arrays and objects still open at the cut closed, so the parser accepts it as a document.
// Linear in `want`. Nesting deeper than kMaxJsonDepth ends the prefix there; its offset goes to
// *too_deep_at when given.
std::string closed_prefix(std::string_view text, std::size_t want, std::size_t* too_deep_at = nullptr);

// The families --format accepts ("auto" means sniff).
const std::vector<std::string_view>& known_families();

// Loads, recognizes (or checks against `family` when it is not "auto") and parses one report.
ParseResult parse_report(const std::filesystem::path& path, std::string_view family = "auto");
ParseResult parse_input(Input& in, std::string_view family = "auto");

}  // namespace dg::ingest
