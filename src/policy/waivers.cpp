#include "src/policy/waivers.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include "src/util/text.hpp"

namespace dg::policy {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string_view strip_slash(std::string_view s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  if (s.starts_with("./")) s.remove_prefix(2);
  return s;
}

// Globs as grype and trivy write them: `*` and `**` both cross `/`; a leading `/` or `./` on
// either side does not matter (grype paths are absolute, trivy's relative).
bool glob(std::string_view pattern, std::string_view path) {
  if (path.empty()) return false;
  std::string p(strip_slash(pattern)), t(strip_slash(path));
  return ::fnmatch(p.c_str(), t.c_str(), 0) == 0;
}

bool has_id(const model::Finding& f, const std::string& id) {
  if (util::iequals(f.rule_id, id)) return true;
  for (auto& a : f.aliases)
    if (util::iequals(a, id)) return true;
  return false;
}

// pkg:deb/debian/libssl1.1 matches pkg:deb/debian/libssl1.1@1.1.1n-0?arch=amd64.
bool purl_matches(std::string_view rule, std::string_view purl) {
  if (purl.empty()) return false;
  if (rule == purl) return true;
  if (!purl.starts_with(rule)) return false;
  char next = purl[rule.size()];
  return next == '@' || next == '?' || next == '#';
}

std::string base_fingerprint(std::string_view fp) {
  auto colon = fp.find(':');
  return std::string(colon == std::string_view::npos ? fp : fp.substr(0, colon));
}

std::string fix_state(const model::Finding& f) {
  return f.package.fixed_version.empty() ? "not-fixed" : "fixed";
}

bool hashed(const WaiverRule& w) {
  return !w.id.empty() || !w.rule.empty() || !w.fingerprint.empty() || !w.package.empty();
}

}  // namespace

bool matches(const WaiverRule& w, const model::Finding& f) {
  if (!hashed(w) && w.path.empty() && w.package_type.empty() && w.purl.empty() && w.fix_state.empty())
    return false;  // an empty rule would waive everything: never
  if (!w.id.empty() && !has_id(f, w.id)) return false;
  if (!w.rule.empty() && !util::iequals(f.rule_id, w.rule)) return false;
  if (!w.fingerprint.empty() && f.fingerprint != w.fingerprint && base_fingerprint(f.fingerprint) != w.fingerprint)
    return false;
  if (!w.package.empty() && f.package.name != w.package) return false;
  if (!w.version.empty() && f.package.version != w.version) return false;
  if (!w.package_type.empty() && !util::iequals(f.package.type, w.package_type)) return false;
  if (!w.purl.empty() && !purl_matches(w.purl, f.package.purl)) return false;
  if (!w.fix_state.empty() && w.fix_state != "unknown" && w.fix_state != fix_state(f)) return false;
  if (!w.path.empty() && !glob(w.path, f.location.path) && !glob(w.path, f.package.path)) return false;
  return true;
}

std::string label(const WaiverRule& w) {
  if (!w.id.empty()) return w.id;
  if (!w.rule.empty()) return w.rule;
  if (!w.fingerprint.empty()) return w.fingerprint;
  if (!w.package.empty()) return w.version.empty() ? w.package : w.package + "@" + w.version;
  if (!w.purl.empty()) return w.purl;
  if (!w.path.empty()) return w.path;
  if (!w.package_type.empty()) return "type:" + w.package_type;
  return "fix-state:" + w.fix_state;
}

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    std::from_chars(d.data() + at, d.data() + at + len, v);  // digits only, checked above
    return v;
  };
  int y = num(0, 4), m = num(5, 2), day = num(8, 2);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || day < 1 || day > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && day == 29 && !leap);
}

WaiverOutcome apply_waivers(model::Run& run, const std::vector<WaiverRule>& rules, const std::string& today) {
  WaiverOutcome out;
  // The waiver expires at the end of its day: on `expires` it still applies. ISO dates compare
  // as strings.
  std::vector<bool> live(rules.size()), used(rules.size(), false);
  for (std::size_t i = 0; i < rules.size(); ++i) live[i] = rules[i].expires.empty() || rules[i].expires >= today;

  // Index by the most selective key a rule has; the rest of the rule is checked by matches().
  std::unordered_map<std::string, std::vector<std::size_t>> by_id, by_rule, by_fp, by_pkg;
  std::vector<std::size_t> scan_all;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!live[i]) continue;
    auto& w = rules[i];
    if (!w.fingerprint.empty()) by_fp[base_fingerprint(w.fingerprint)].push_back(i);
    else if (!w.id.empty()) by_id[upper(w.id)].push_back(i);
    else if (!w.rule.empty()) by_rule[upper(w.rule)].push_back(i);
    else if (!w.package.empty()) by_pkg[w.package].push_back(i);
    else scan_all.push_back(i);
  }

  std::vector<std::size_t> candidates;
  for (auto& step : run.steps) {
    for (auto& f : step.findings) {
      candidates.clear();
      auto collect = [&](auto& index, const std::string& k) {
        if (auto it = index.find(k); it != index.end())
          candidates.insert(candidates.end(), it->second.begin(), it->second.end());
      };
      if (!by_fp.empty() && !f.fingerprint.empty()) collect(by_fp, base_fingerprint(f.fingerprint));
      if (!by_id.empty()) {
        collect(by_id, upper(f.rule_id));
        for (auto& a : f.aliases) collect(by_id, upper(a));
      }
      if (!by_rule.empty()) collect(by_rule, upper(f.rule_id));
      if (!by_pkg.empty() && !f.package.name.empty()) collect(by_pkg, f.package.name);
      candidates.insert(candidates.end(), scan_all.begin(), scan_all.end());
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      bool waived = false;
      for (auto i : candidates) {
        if (!matches(rules[i], f)) continue;
        used[i] = true;  // every matching waiver is in use, not only the one shown
        if (waived) continue;
        auto& w = rules[i];
        f.waiver = model::Waiver{label(w), w.reason, w.owner, w.expires, w.source};
        waived = true;
        ++out.waived;
      }
    }
  }

  for (std::size_t i = 0; i < rules.size(); ++i) {
    auto& w = rules[i];
    if (!live[i]) {
      run.waiver_notices.push_back({label(w), "expired", w.reason, w.owner, w.expires, w.source});
    } else if (!used[i]) {
      run.waiver_notices.push_back({label(w), "stale", w.reason, w.owner, w.expires, w.source});
      ++out.stale;
    }
  }
  return out;
}

}  // namespace dg::policy
