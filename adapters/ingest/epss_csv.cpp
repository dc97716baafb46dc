// FIRST EPSS daily CSV (epss_scores-YYYY-MM-DD.csv.gz). Its rows are plain `CVE,score,percentile`
// with no quoting, 300,000 of them: a line scan, not the general CSV reader.
#include <algorithm>
#include <cctype>
#include <charconv>

#include "adapters/ingest/input.hpp"
#include "adapters/ingest/risk_feeds.hpp"
#include "src/util/file.hpp"
#include "src/util/gzip.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> out;
  for (;;) {
    auto comma = line.find(',');
    out.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

bool probability(std::string_view s, double& v) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size() && v >= 0 && v <= 1;
}

}  // namespace

util::Expected<void> read_epss_csv(const std::filesystem::path& path, model::RiskFeed& into) {
  auto bytes = util::read_file(path, 0, kMaxFeedBytes);
  if (!bytes) return std::unexpected(bytes.error());
  if (util::is_gzip(*bytes)) {
    auto unpacked = util::gunzip(*bytes, kMaxFeedUnpackedBytes);
    if (!unpacked) {
      util::Error e = unpacked.error();
      e.file = path.string();
      return std::unexpected(std::move(e));
    }
    *bytes = std::move(*unpacked);
  }
  Input in = make_input(path.string(), *bytes);
  std::string_view text = in.text();
  std::string date;  // from `#model_version:v2025.03.14,score_date:2025-11-30T00:00:00+0000`
  int cve_col = -1, epss_col = -1, pct_col = -1;
  std::size_t columns = 0;
  model::RiskFeed found;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t at = pos;
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    pos = end + 1;
    std::string_view line = text.substr(at, end - at);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty()) continue;
    if (line.front() == '#') {
      if (auto d = line.find("score_date:"); d != std::string_view::npos) date = std::string(line.substr(d + 11, 10));
      continue;
    }
    auto fields = split(line);
    if (cve_col < 0) {  // the header
      for (std::size_t i = 0; i < fields.size(); ++i) {
        std::string name = util::to_lower(fields[i]);
        if (name == "cve") cve_col = static_cast<int>(i);
        else if (name == "epss") epss_col = static_cast<int>(i);
        else if (name == "percentile") pct_col = static_cast<int>(i);
      }
      if (cve_col < 0 || epss_col < 0)
        return std::unexpected(in.error_at(at, "not a FIRST EPSS CSV: expected the header cve,epss,percentile, found '" +
                                                   util::truncate_utf8(std::string(line), 80) + "'"));
      columns = fields.size();
      continue;
    }
    if (fields.size() != columns)
      return std::unexpected(in.error_at(at, "EPSS CSV: " + std::to_string(fields.size()) + " fields, the header has " +
                                                 std::to_string(columns)));
    std::string cve(fields[static_cast<std::size_t>(cve_col)]);
    std::transform(cve.begin(), cve.end(), cve.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (cve.empty()) return std::unexpected(in.error_at(at, "EPSS CSV: a row has no CVE id"));
    model::Risk r;
    r.epss_date = date;
    if (!probability(fields[static_cast<std::size_t>(epss_col)], r.epss))
      return std::unexpected(in.error_at(at, "EPSS CSV: the score of " + cve + " is not a probability between 0 and 1"));
    if (pct_col >= 0 && !probability(fields[static_cast<std::size_t>(pct_col)], r.epss_percentile))
      return std::unexpected(in.error_at(at, "EPSS CSV: the percentile of " + cve + " is not between 0 and 1"));
    model::merge_risk(found[cve], r);
  }
  if (cve_col < 0) return std::unexpected(in.error_at(0, "not a FIRST EPSS CSV: no cve,epss,percentile header"));
  for (auto& [cve, r] : found) model::merge_risk(into[cve], r);
  return {};
}

}  // namespace dg::ingest
