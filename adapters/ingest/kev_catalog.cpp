// CISA KEV catalog JSON (schema: cisa.gov known_exploited_vulnerabilities_schema.json): only the
// fields a finding shows are kept; vendorProject, product, names and notes are CISA's prose.
#include <algorithm>
#include <cctype>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/risk_feeds.hpp"
#include "src/util/file.hpp"

namespace dg::ingest {

namespace od = json::od;

util::Expected<void> read_kev_catalog(const std::filesystem::path& path, model::RiskFeed& into) {
  auto bytes = util::read_file(path, 0, kMaxFeedBytes);
  if (!bytes) return std::unexpected(bytes.error());
  Input in = make_input(path.string(), *bytes);
  model::RiskFeed found;
  auto parsed = json::parse_json(in, "CISA KEV catalog", [&](od::value root, ParsedReport&) {
    bool seen = false;
    for (auto field : json::object(in, root, "(root)")) {
      std::string_view key = json::key(field);
      if (key != "vulnerabilities") continue;
      seen = true;
      for (auto el : json::array(in, field.value(), "vulnerabilities")) {
        od::value item = el.value();
        std::size_t at = json::offset_of(in, item);
        std::string cve;
        model::Risk r;
        r.kev = true;
        for (auto f : json::object(in, item, "vulnerabilities[]")) {
          std::string_view k = json::key(f);
          od::value v = f.value();
          if (k == "cveID") cve = json::string(in, v, "vulnerabilities[].cveID");
          else if (k == "dateAdded") r.kev_added = json::string(in, v, "vulnerabilities[].dateAdded");
          else if (k == "dueDate") r.kev_due = json::string(in, v, "vulnerabilities[].dueDate");
          else if (k == "requiredAction") r.kev_action = json::string(in, v, "vulnerabilities[].requiredAction");
          else if (k == "knownRansomwareCampaignUse")
            r.kev_ransomware = json::string(in, v, "vulnerabilities[].knownRansomwareCampaignUse");
        }
        if (cve.empty()) throw json::JsonError(at, "an entry has no cveID");
        std::transform(cve.begin(), cve.end(), cve.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        model::merge_risk(found[cve], r);
      }
    }
    if (!seen) throw json::JsonError(0, "no \"vulnerabilities\" array: not a CISA KEV catalog");
  });
  if (!parsed) return std::unexpected(parsed.error());
  for (auto& [cve, r] : found) model::merge_risk(into[cve], r);
  return {};
}

}  // namespace dg::ingest
