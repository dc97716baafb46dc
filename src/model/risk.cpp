#include "src/model/risk.hpp"

#include <algorithm>

namespace dg::model {

void merge_risk(Risk& into, const Risk& from) {
  if (from.kev) {
    into.kev = true;
    auto fill = [](std::string& a, const std::string& b) {
      if (a.empty()) a = b;
    };
    fill(into.kev_added, from.kev_added);
    fill(into.kev_due, from.kev_due);
    fill(into.kev_action, from.kev_action);
    fill(into.kev_ransomware, from.kev_ransomware);
  }
  if (from.epss >= 0) {
    bool take;
    if (into.epss < 0) take = true;
    else if (from.epss_date.empty() != into.epss_date.empty()) take = !from.epss_date.empty();  // a dated score
    else if (from.epss_date != into.epss_date) take = from.epss_date > into.epss_date;  // YYYY-MM-DD
    else take = from.epss > into.epss;
    if (take) {
      into.epss = from.epss;
      into.epss_percentile = from.epss_percentile;
      into.epss_date = from.epss_date;
    }
  }
  into.risk = std::max(into.risk, from.risk);
}

double risk_weight(const Finding& f) {
  double rank = static_cast<double>(static_cast<int>(f.severity));
  return f.kind == Kind::Vulnerability && f.risk.epss >= 0 ? rank * f.risk.epss : rank;
}

}  // namespace dg::model
