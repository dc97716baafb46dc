#include "src/model/fingerprint.hpp"

#include <algorithm>
#include <unordered_map>

#include "src/util/text.hpp"

namespace dg::model {

std::string canonical_vuln_id(const Finding& f) {
  std::string best;
  auto consider = [&](const std::string& id) {
    if (util::starts_with_icase(id, "CVE-") && (best.empty() || id < best)) best = id;
  };
  consider(f.rule_id);
  for (auto& a : f.aliases) consider(a);
  return best.empty() ? f.rule_id : best;
}

std::string fingerprint_base(const Finding& f) {
  std::string key;
  if (f.kind == Kind::Vulnerability) {
    // grype writes package paths absolute, trivy relative.
    std::string_view path = f.package.path;
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    key = "vuln\x1f" + canonical_vuln_id(f) + '\x1f' + f.package.name + '\x1f' + f.package.version + '\x1f';
    key += path;
  } else {
    // Titles and messages are the tool's prose: they change between scanner and database
    // versions (and carry numbers for image and smoke findings), so they are no part of what a
    // finding is. The code line is; repeats are told apart by the occurrence counter.
    key = std::string(to_string(f.kind)) + '\x1f' + f.tool + '\x1f' + f.rule_id + '\x1f' +
          f.location.path + '\x1f' + f.location.target + '\x1f' + util::normalize_space(f.location.snippet);
  }
  return util::sha256_hex(key).substr(0, 32);
}

void assign_fingerprints(std::vector<Finding>& findings) {
  std::unordered_map<std::string, int> seen;
  for (auto& f : findings) {
    if (!f.fingerprint.empty()) continue;
    std::string base = fingerprint_base(f);
    int n = seen[base]++;
    f.fingerprint = n == 0 ? base : base + ":" + std::to_string(n + 1);
  }
}

}  // namespace dg::model
