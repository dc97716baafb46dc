#pragma once
// Offline exploit feeds the user downloads and passes in (--kev, --epss): read at gate time with
// no network, into one model::RiskFeed keyed by CVE id.
#include <filesystem>

#include "src/model/risk.hpp"
#include "src/util/error.hpp"

namespace dg::ingest {

// Feeds are bounded: the real KEV catalog is about 1.5 MB and the EPSS CSV about 10 MB unpacked.
inline constexpr std::size_t kMaxFeedBytes = 64u << 20;       // a file as it is on disk
inline constexpr std::size_t kMaxFeedUnpackedBytes = 256u << 20;  // a gzipped EPSS CSV, unpacked

// CISA's Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json:
// {catalogVersion, dateReleased, count, vulnerabilities: [{cveID, dateAdded, dueDate,
// requiredAction, knownRansomwareCampaignUse, …}]}). Adds a KEV entry per cveID to `into`.
util::Expected<void> read_kev_catalog(const std::filesystem::path& path, model::RiskFeed& into);

// FIRST's EPSS scores (epss_scores-YYYY-MM-DD.csv, gzipped or not): `#model_version:…,
// score_date:…` comment lines, the header `cve,epss,percentile`, then one row per CVE. Adds the
// score, percentile and score date per CVE to `into`.
util::Expected<void> read_epss_csv(const std::filesystem::path& path, model::RiskFeed& into);

}  // namespace dg::ingest
