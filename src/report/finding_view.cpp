#include "src/report/finding_view.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>

#include "src/model/risk.hpp"
#include "src/util/text.hpp"

namespace dg::report {

static int baseline_rank(model::BaselineState b) { return b == model::BaselineState::New ? 0 : 1; }

bool worse(const model::Finding& a, const model::Finding& b) {
  auto key = [](const model::Finding& f) {
    return std::make_tuple(f.waiver.has_value(), !f.risk.kev, -model::risk_weight(f), -static_cast<int>(f.severity),
                           baseline_rank(f.baseline),
                           std::string_view(f.rule_id), std::string_view(f.location.path), f.location.line,
                           std::string_view(f.package.name), std::string_view(f.fingerprint));
  };
  return key(a) < key(b);
}

std::vector<const model::Finding*> worst_first(const std::vector<model::Finding>& findings) {
  std::vector<const model::Finding*> v;
  v.reserve(findings.size());
  for (auto& f : findings) v.push_back(&f);
  std::stable_sort(v.begin(), v.end(), [](auto* a, auto* b) { return worse(*a, *b); });
  return v;
}

std::vector<const model::Finding*> worst_n(const std::vector<model::Finding>& findings, std::size_t n) {
  std::vector<const model::Finding*> v;
  v.reserve(findings.size());
  for (auto& f : findings) v.push_back(&f);
  n = std::min(n, v.size());
  // Ties in file order, as worst_first's stable sort has them: the address is the position.
  std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end(), [](auto* a, auto* b) {
    if (worse(*a, *b)) return true;
    if (worse(*b, *a)) return false;
    return a < b;
  });
  v.resize(n);
  return v;
}

std::string epss_text(const model::Risk& r) {
  if (r.epss < 0) return {};
  char buf[48];
  double pct = r.epss * 100;
  // Scores are often tiny (0.00043): two significant digits under 1 %, one decimal above.
  if (pct < 1) std::snprintf(buf, sizeof buf, "EPSS %.2g%%", pct);
  else std::snprintf(buf, sizeof buf, "EPSS %.1f%%", pct);
  std::string s = buf;
  if (r.epss_percentile >= 0) s += " (p" + std::to_string(static_cast<int>(std::floor(r.epss_percentile * 100))) + ")";
  return s;
}

std::string risk_badge(const model::Finding& f) {
  std::string s = f.risk.kev ? "KEV" : "";
  if (auto e = epss_text(f.risk); !e.empty()) s += (s.empty() ? "" : " \xC2\xB7 ") + e;  // ·
  return s;
}

std::string risk_text(const model::Finding& f) {
  std::string s;
  if (f.risk.kev) s = f.risk.kev_added.empty() ? "known exploited (KEV)" : "known exploited (KEV, added " + f.risk.kev_added + ")";
  if (auto e = epss_text(f.risk); !e.empty()) s += (s.empty() ? "" : " \xC2\xB7 ") + e;  // ·
  return s;
}

std::string where(const model::Finding& f) {
  if (!f.location.path.empty()) {
    std::string s = f.location.path;
    if (f.location.line > 0) s += ":" + std::to_string(f.location.line);
    if (f.location.outside_root) s += " (outside the repository)";
    return s;
  }
  if (!f.package.name.empty()) {
    std::string s = f.package.name;
    if (!f.package.version.empty()) s += "@" + f.package.version;
    return s;
  }
  return f.location.target;
}

std::string package_fix(const model::Finding& f) {
  if (f.package.name.empty()) return {};
  std::string s = f.package.name;
  if (!f.package.version.empty()) s += " " + f.package.version;
  if (!f.package.fixed_version.empty()) s += " \xE2\x86\x92 " + f.package.fixed_version;  // →
  else if (f.kind == model::Kind::Vulnerability) s += " (no fix yet)";
  return s;
}

std::string dockerfile_path(const model::Run& run) {
  for (auto& s : run.steps) {
    if (s.name != model::step::kLint) continue;
    for (auto& f : s.findings) {
      auto& p = f.location.path;
      auto slash = p.find_last_of('/');
      std::string_view base = slash == std::string::npos ? std::string_view(p) : std::string_view(p).substr(slash + 1);
      if (!p.empty() && p.front() != '/' && base.find("Dockerfile") != std::string_view::npos) return p;
    }
  }
  return "Dockerfile";
}

bool is_security(model::Kind k) {
  using model::Kind;
  return k == Kind::Vulnerability || k == Kind::Secret || k == Kind::Misconfiguration || k == Kind::Code ||
         k == Kind::License;
}

std::optional<std::string> security_severity(const model::Finding& f) {
  if (!is_security(f.kind)) return std::nullopt;
  switch (f.severity) {
    case model::Severity::Critical: return "9.5";
    case model::Severity::High: return "8.0";
    case model::Severity::Medium: return "5.5";
    case model::Severity::Low: return "2.0";
    case model::Severity::Info: return "0.0";
    case model::Severity::Unknown: break;
  }
  return "8.0";  // unknown gates like high: say so to code scanning too
}

SizeFacts size_facts(const model::StepResult& s) {
  auto get = [&](std::initializer_list<const char*> names) -> std::optional<double> {
    for (auto* n : names)
      if (auto it = s.metrics.find(n); it != s.metrics.end()) return it->second;
    return std::nullopt;
  };
  SizeFacts f;
  f.bytes = get({"image_bytes", "size_bytes"});
  f.budget = get({"max_bytes", "budget_bytes", "budget"});
  f.baseline = get({"baseline_bytes", "previous_bytes"});
  return f;
}

std::string size_line(const model::StepResult& s) {
  auto sz = size_facts(s);
  if (!sz.bytes) return {};
  std::string out = human_bytes(*sz.bytes);
  if (sz.budget) out += (*sz.bytes > *sz.budget ? " > budget " : " within budget ") + human_bytes(*sz.budget);
  if (sz.baseline && *sz.baseline > 0) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%+.1f %%", (*sz.bytes - *sz.baseline) * 100.0 / *sz.baseline);
    out += std::string(" (") + pct + " vs baseline " + human_bytes(*sz.baseline) + ")";
  }
  return out;
}

std::vector<std::string> largest_layers(const model::StepResult& s, std::size_t n) {
  std::vector<std::string> out;
  bool in_list = false;
  for (auto& line : util::split(s.log_excerpt, '\n')) {
    if (line == "largest layers:") {
      in_list = true;
      continue;
    }
    if (!in_list) continue;
    if (!line.starts_with("  ")) break;        // the next section
    if (!line.starts_with("  #")) continue;    // a layer's largest files
    out.push_back(util::trim(line));
    if (out.size() == n) break;
  }
  return out;
}

std::string finding_text(const model::Finding& f) {
  bool numbers = f.kind == model::Kind::Smoke || f.kind == model::Kind::Image;
  return numbers && !f.message.empty() ? f.message : f.title;
}

std::string human_bytes(double bytes) {
  static const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  double v = bytes;
  while (std::fabs(v) >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  char buf[64];
  if (u == 0) std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

StepCounts step_counts(const model::StepResult& s) {
  StepCounts c;
  for (auto& f : s.findings) {
    if (f.waiver) {
      ++c.waived;
      continue;
    }
    ++c.by[static_cast<int>(f.severity)];
    if (f.baseline == model::BaselineState::New) ++c.new_;
    if (f.baseline == model::BaselineState::Unchanged) ++c.unchanged;
  }
  return c;
}

std::string duration_text(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

std::string log_tail(std::string_view log, std::size_t max) {
  if (log.size() <= max) return std::string(log);
  std::size_t from = log.size() - max;
  if (auto nl = log.find('\n', from); nl != std::string_view::npos && nl + 1 < log.size()) from = nl + 1;
  return "[\xE2\x80\xA6]\n" + util::to_valid_utf8(log.substr(from));
}

}  // namespace dg::report
