#include "src/model/fingerprint.hpp"

#include <algorithm>
#include <cstring>

#include "src/util/digest.hpp"
#include "src/util/parallel.hpp"
#include "src/util/text.hpp"

namespace dg::model {

namespace {

std::string_view canonical_id(const Finding& f) {
  std::string_view best;
  auto consider = [&](std::string_view id) {
    if (util::starts_with_icase(id, "CVE-") && (best.empty() || id < best)) best = id;
  };
  consider(f.rule_id);
  for (auto& a : f.aliases) consider(a);
  return best.empty() ? std::string_view(f.rule_id) : best;
}

// What a fingerprint hashes, written into `key` (one buffer for every finding of a report).
void base_key(const Finding& f, std::string& key) {
  key.clear();
  auto field = [&](std::string_view s) {
    key += s;
    key += '\x1f';
  };
  if (f.kind == Kind::Vulnerability) {
    // grype writes package paths absolute, trivy relative.
    std::string_view path = f.package.path;
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    field("vuln");
    field(canonical_id(f));
    field(f.package.name);
    field(f.package.version);
    key += path;
  } else {
    // Titles and messages are the tool's prose: they change between scanner and database
    // versions (and carry numbers for image and smoke findings), so they are no part of what a
    // finding is. The code line is; repeats are told apart by the occurrence counter.
    field(to_string(f.kind));
    field(f.tool);
    field(f.rule_id);
    field(f.location.path);
    field(f.location.target);
    key += util::normalize_space(f.location.snippet);
  }
}

constexpr std::size_t kFingerprintBytes = 16;  // 32 hex digits

}  // namespace

std::string canonical_vuln_id(const Finding& f) { return std::string(canonical_id(f)); }

std::string fingerprint_base(const Finding& f) {
  std::string key;
  base_key(f, key);
  auto md = util::sha256(key);
  return util::hex(md.data(), kFingerprintBytes);
}

void assign_fingerprints(std::vector<Finding>& findings) {
  // Repeats are counted by the digest's first 16 bytes (what the fingerprint spells in hex),
  // not by the hex string: no string hashed or copied per finding.
  struct Prefix {
    std::uint64_t a = 0, b = 0;
    bool operator==(const Prefix&) const = default;
  };
  // The digests on several threads for a big report (each finding's own), the repeats in order.
  std::vector<Prefix> digests(findings.size());
  std::vector<char> fresh(findings.size(), 0);
  util::for_ranges(findings.size(), 8192, [&](std::size_t from, std::size_t to) {
    std::string key;
    for (std::size_t i = from; i < to; ++i) {
      Finding& f = findings[i];
      if (!f.fingerprint.empty()) continue;
      base_key(f, key);
      auto md = util::sha256(key);
      std::memcpy(&digests[i].a, md.data(), 8);
      std::memcpy(&digests[i].b, md.data() + 8, 8);
      f.fingerprint = util::hex(md.data(), kFingerprintBytes);
      fresh[i] = 1;
    }
  });
  // Repeats counted in an open-addressed table of the digests (a node per finding, allocated
  // and freed one at a time, was most of this function's serial time).
  std::size_t cap = 16;
  while (cap < 2 * findings.size()) cap *= 2;
  struct Slot {
    Prefix key;
    int seen = 0;  // 0: empty
  };
  std::vector<Slot> table(cap);
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!fresh[i]) continue;
    std::size_t h = digests[i].a & (cap - 1);  // digest bits are uniform already
    while (table[h].seen && !(table[h].key == digests[i])) h = (h + 1) & (cap - 1);
    Slot& slot = table[h];
    slot.key = digests[i];
    if (int n = slot.seen++; n > 0) findings[i].fingerprint += ":" + std::to_string(n + 1);
  }
}

}  // namespace dg::model
