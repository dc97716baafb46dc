#include "src/policy/vex.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <unordered_map>

#include "src/util/text.hpp"

namespace dg::policy {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Purls percent-encode what is special in them; Debian versions carry `+` as %2B.
std::string decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string qualifier(std::string_view purl, std::string_view key) {
  auto q = purl.find('?');
  if (q == std::string_view::npos) return {};
  auto qs = purl.substr(q + 1);
  qs = qs.substr(0, qs.find('#'));
  for (auto& kv : util::split(qs, '&')) {
    auto eq = kv.find('=');
    if (eq != std::string::npos && util::iequals(std::string_view(kv).substr(0, eq), key))
      return decode(std::string_view(kv).substr(eq + 1));
  }
  return {};
}

// PyPI names compare case-insensitively with `_`, `.` and `-` alike (PEP 503).
bool same_name(std::string_view type, std::string_view a, std::string_view b) {
  if (type != "pypi") return a == b;
  auto norm = [](std::string_view s) {
    std::string out = util::to_lower(s);
    std::replace(out.begin(), out.end(), '_', '-');
    std::replace(out.begin(), out.end(), '.', '-');
    return out;
  };
  return norm(a) == norm(b);
}

// dpkg's verrevcmp: letters before non-letters, `~` before everything (even the end), digit runs
// as numbers. It orders apk and rpm versions sensibly too.
int order(int c) {
  if (std::isdigit(c)) return 0;
  if (std::isalpha(c)) return c;
  if (c == '~') return -1;
  if (c) return c + 256;
  return 0;
}

int verrevcmp(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  auto at = [](std::string_view s, std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !std::isdigit(at(a, i))) || (j < b.size() && !std::isdigit(at(b, j)))) {
      int ac = order(at(a, i)), bc = order(at(b, j));
      if (ac != bc) return ac - bc;
      ++i, ++j;
    }
    while (at(a, i) == '0') ++i;
    while (at(b, j) == '0') ++j;
    while (std::isdigit(at(a, i)) && std::isdigit(at(b, j))) {
      if (!first_diff) first_diff = at(a, i) - at(b, j);
      ++i, ++j;
    }
    if (std::isdigit(at(a, i))) return 1;
    if (std::isdigit(at(b, j))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

long epoch_of(std::string_view& v) {
  auto colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0) return 0;
  for (std::size_t k = 0; k < colon; ++k)
    if (!std::isdigit(static_cast<unsigned char>(v[k]))) return 0;
  long e = 0;
  // An epoch too long for a number orders as the largest one, never an exception.
  const char* digits = v.data();  // from_chars reads [digits, digits + colon): no terminator needed
  if (std::from_chars(digits, digits + colon, e).ec != std::errc()) e = std::numeric_limits<long>::max();
  v.remove_prefix(colon + 1);
  return e;
}

int debian_compare(std::string_view a, std::string_view b) {
  long ea = epoch_of(a), eb = epoch_of(b);
  if (ea != eb) return ea < eb ? -1 : 1;
  auto split = [](std::string_view v) {
    auto dash = v.rfind('-');
    if (dash == std::string_view::npos) return std::pair{v, std::string_view{}};
    return std::pair{v.substr(0, dash), v.substr(dash + 1)};
  };
  auto [ua, ra] = split(a);
  auto [ub, rb] = split(b);
  if (int c = verrevcmp(ua, ub)) return c;
  return verrevcmp(ra, rb);
}

bool semver_like(std::string_view type) {
  return type == "npm" || type == "golang" || type == "cargo" || type == "nuget" || type == "composer" ||
         type == "hex" || type == "pub" || type == "swift" || type == "semver";
}

struct Constraint {
  std::string op;  // = != < <= > >=
  std::string version;
};

struct Vers {
  std::string scheme;
  bool star = false;
  std::vector<Constraint> constraints;
};

std::optional<Vers> parse_vers(std::string_view s, std::string* why) {
  auto fail = [&](std::string m) -> std::optional<Vers> {
    if (why) *why = std::move(m);
    return std::nullopt;
  };
  std::string t = util::trim(s);
  if (!util::starts_with_icase(t, "vers:")) return fail("a version range must start with vers: (vers:deb/>=1.0|<1.2)");
  std::string_view rest = std::string_view(t).substr(5);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return fail("a version range needs a scheme: vers:<scheme>/<constraints>");
  Vers v;
  v.scheme = util::to_lower(rest.substr(0, slash));
  rest.remove_prefix(slash + 1);
  if (util::trim(rest) == "*") {
    v.star = true;
    return v;
  }
  for (auto& part : util::split(rest, '|')) {
    std::string c = util::trim(part);
    if (c.empty()) return fail("an empty constraint in the version range");
    Constraint k;
    for (std::string_view op : {">=", "<=", "!=", "<", ">", "="})
      if (c.starts_with(op)) {
        k.op = op;
        break;
      }
    k.version = decode(util::trim(std::string_view(c).substr(k.op.size())));
    if (k.op.empty()) k.op = "=";
    if (k.version.empty() || k.version == "*") return fail("constraint '" + c + "' has no version");
    v.constraints.push_back(std::move(k));
  }
  if (v.constraints.empty()) return fail("a version range without constraints");
  return v;
}

bool holds(const std::string& scheme, std::string_view version, const Constraint& c) {
  int r = compare_versions(scheme, version, c.version);
  if (c.op == "<") return r < 0;
  if (c.op == "<=") return r <= 0;
  if (c.op == ">") return r > 0;
  if (c.op == ">=") return r >= 0;
  if (c.op == "!=") return r != 0;
  return r == 0;
}

// An image reference, whatever the document wrote: pkg:oci/app@sha256:…?repository_url=ghcr.io/o/app&tag=1.2,
// pkg:docker/o/app@1.2, ghcr.io/o/app:1.2, app@sha256:….
struct ImageRef {
  std::string repo, tag, digest;
};

std::string normalize_repo(std::string r) {
  r = util::to_lower(r);
  for (std::string_view p : {"docker.io/", "index.docker.io/", "registry-1.docker.io/"})
    if (r.starts_with(p)) r.erase(0, p.size());
  if (r.starts_with("library/")) r.erase(0, 8);
  return r;
}

ImageRef image_ref(std::string_view s) {
  ImageRef out;
  if (auto p = parse_purl(s)) {
    if (p->type == "oci") {
      out.repo = qualifier(s, "repository_url");
      if (out.repo.empty()) out.repo = p->name;
      out.tag = qualifier(s, "tag");
      out.digest = p->version;
    } else {
      out.repo = p->ns.empty() ? p->name : p->ns + "/" + p->name;
      (p->version.find(':') != std::string::npos ? out.digest : out.tag) = p->version;
    }
    // repository_url may carry its own tag or digest (ghcr.io/o/app:1.2).
    if (auto at = out.repo.find('@'); at != std::string::npos) out.repo.resize(at);
    if (auto colon = out.repo.rfind(':'); colon != std::string::npos && out.repo.find('/', colon) == std::string::npos &&
                                          out.repo.rfind('/') != std::string::npos && colon > out.repo.rfind('/')) {
      if (out.tag.empty()) out.tag = out.repo.substr(colon + 1);
      out.repo.resize(colon);
    }
    out.repo = normalize_repo(out.repo);
    return out;
  }
  std::string r = util::trim(s);
  if (auto at = r.find('@'); at != std::string::npos) {
    out.digest = r.substr(at + 1);
    r.resize(at);
  }
  auto slash = r.rfind('/');
  auto colon = r.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    out.tag = r.substr(colon + 1);
    r.resize(colon);
  }
  out.repo = normalize_repo(r);
  return out;
}

std::string last_component(const std::string& repo) {
  auto slash = repo.rfind('/');
  return slash == std::string::npos ? repo : repo.substr(slash + 1);
}

// The statement names the image; the finding's target is where the scanner found it. A name
// without a registry or path ("app") matches any repository ending in it.
bool image_matches(std::string_view statement, std::string_view target) {
  if (target.empty() || statement.empty()) return false;
  ImageRef a = image_ref(statement), b = image_ref(target);
  if (a.repo.empty() || b.repo.empty()) return false;
  bool repo_ok = a.repo == b.repo || (a.repo.find('/') == std::string::npos && last_component(b.repo) == a.repo) ||
                 (b.repo.find('/') == std::string::npos && last_component(a.repo) == b.repo);
  if (!repo_ok) return false;
  if (!a.tag.empty() && !b.tag.empty() && a.tag != b.tag) return false;
  if (!a.digest.empty() && !b.digest.empty() && !util::iequals(a.digest, b.digest)) return false;
  return true;
}

// trivy writes "alpine:3.10 (alpine 3.10.2)": the image is before the distro in parentheses.
std::string finding_image(const model::Finding& f, std::string_view image) {
  std::string t = f.location.target;
  if (auto p = t.find(" ("); p != std::string::npos && t.ends_with(")")) t.resize(p);
  t = util::trim(t);
  return t.empty() ? std::string(image) : t;
}

bool package_matches(const VexSubject& s, const model::Finding& f) {
  auto sp = parse_purl(s.purl);
  if (!sp) return false;
  auto fp = parse_purl(f.package.purl);
  if (fp) {
    if (sp->type != fp->type) return false;
    if (!sp->ns.empty() && !util::iequals(sp->ns, fp->ns)) return false;
    if (!same_name(sp->type, sp->name, fp->name)) return false;
  } else {
    // No purl from the scanner: the name is all there is to compare.
    if (f.package.name.empty() || !same_name(sp->type, sp->name, f.package.name)) return false;
  }
  std::string version = f.package.version.empty() && fp ? fp->version : f.package.version;
  auto same_version = [&](std::string_view v) { return v == version || (fp && !fp->version.empty() && v == fp->version); };
  if (!s.versions.empty() || !s.ranges.empty()) {
    for (auto& v : s.versions)
      if (same_version(v)) return true;
    for (auto& r : s.ranges)
      if (!version.empty() && in_vers(r, version)) return true;
    return false;
  }
  return sp->version.empty() || same_version(sp->version);
}

std::string reason_of(const VexStatement& st) {
  std::string r = "VEX " + std::string(to_string(st.status));
  std::string detail;
  if (st.status == VexStatus::NotAffected) {
    detail = st.justification;
    if (!st.impact.empty()) detail += (detail.empty() ? "" : " - ") + st.impact;
  }
  if (detail.empty()) detail = st.notes;
  return detail.empty() ? r : r + ": " + detail;
}

void append_note(model::Finding& f, const std::string& note, const std::string& tag) {
  if (f.message.find(note) == std::string::npos) f.message += (f.message.empty() ? "" : "\n\n") + note;
  if (f.title.find(tag) == std::string::npos) f.title += (f.title.empty() ? "" : " ") + tag;
}

}  // namespace

std::string_view to_string(VexStatus s) {
  switch (s) {
    case VexStatus::NotAffected: return "not_affected";
    case VexStatus::Affected: return "affected";
    case VexStatus::Fixed: return "fixed";
    case VexStatus::UnderInvestigation: return "under_investigation";
  }
  return "under_investigation";
}

std::optional<Purl> parse_purl(std::string_view s) {
  if (s.size() < 5 || !util::starts_with_icase(s, "pkg:")) return std::nullopt;
  s.remove_prefix(4);
  while (s.starts_with('/')) s.remove_prefix(1);
  s = s.substr(0, s.find('#'));
  s = s.substr(0, s.find('?'));
  auto slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  Purl p;
  p.type = util::to_lower(s.substr(0, slash));
  std::string_view rest = s.substr(slash + 1);
  // The version follows the last `@` that does not start a path segment (npm scopes: @angular/core).
  auto at = rest.rfind('@');
  if (at != std::string_view::npos && at > 0 && rest[at - 1] != '/') {
    p.version = decode(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  while (rest.ends_with('/')) rest.remove_suffix(1);
  auto last = rest.rfind('/');
  p.name = decode(last == std::string_view::npos ? rest : rest.substr(last + 1));
  if (last != std::string_view::npos) p.ns = decode(rest.substr(0, last));
  if (p.name.empty()) return std::nullopt;
  return p;
}

int compare_versions(std::string_view type, std::string_view a, std::string_view b) {
  std::string t = util::to_lower(type);
  if (t == "deb" || t == "debian" || t == "ubuntu") return debian_compare(a, b);
  if (semver_like(t)) {
    if (a.starts_with('v')) a.remove_prefix(1);
    if (b.starts_with('v')) b.remove_prefix(1);
    auto cut = [](std::string_view v) {
      v = v.substr(0, v.find('+'));  // build metadata does not order
      auto dash = v.find('-');
      if (dash == std::string_view::npos) return std::pair{v, std::string_view{}};
      return std::pair{v.substr(0, dash), v.substr(dash + 1)};
    };
    auto [ca, pa] = cut(a);
    auto [cb, pb] = cut(b);
    if (int c = verrevcmp(ca, cb)) return c;
    if (pa.empty() != pb.empty()) return pa.empty() ? 1 : -1;  // 1.0.0-rc1 < 1.0.0
    return verrevcmp(pa, pb);
  }
  std::string_view x = a, y = b;
  long ea = epoch_of(x), eb = epoch_of(y);  // rpm's epoch:version-release
  if (ea != eb) return ea < eb ? -1 : 1;
  return verrevcmp(x, y);
}

std::string check_vers(std::string_view vers) {
  std::string why;
  return parse_vers(vers, &why) ? std::string{} : why;
}

// The containment algorithm of the vers specification: = and != first, then the remaining
// constraints in version order, read as intervals between neighbours.
bool in_vers(std::string_view vers, std::string_view version) {
  auto v = parse_vers(vers, nullptr);
  if (!v) return false;
  if (v->star) return true;
  std::vector<Constraint> rest;
  bool only_unequal = true;
  for (auto& c : v->constraints) {
    int r = compare_versions(v->scheme, version, c.version);
    if (c.op == "=" && r == 0) return true;
    if (c.op == "!=" && r == 0) return false;
    if (c.op != "!=") only_unequal = false;
    if (c.op != "=" && c.op != "!=") rest.push_back(c);
  }
  if (rest.empty()) return only_unequal;
  std::stable_sort(rest.begin(), rest.end(), [&](const Constraint& x, const Constraint& y) {
    return compare_versions(v->scheme, x.version, y.version) < 0;
  });
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const auto& cur = rest[i];
    bool below = cur.op == "<" || cur.op == "<=";
    if (i == 0 && below && holds(v->scheme, version, cur)) return true;
    if (i + 1 == rest.size() && !below && holds(v->scheme, version, cur)) return true;
    if (i + 1 < rest.size() && !below) {
      const auto& next = rest[i + 1];
      if ((next.op == "<" || next.op == "<=") && holds(v->scheme, version, cur) && holds(v->scheme, version, next))
        return true;
    }
  }
  return false;
}

bool subject_matches(const VexSubject& s, const model::Finding& f, std::string_view image) {
  if (s.purl.empty()) return !s.image.empty() && image_matches(s.image, finding_image(f, image));
  if (!s.within.empty()) {
    // The package must be in that image; a finding that names no image cannot say otherwise.
    std::string where = finding_image(f, image);
    if (!where.empty() && !image_matches(s.within, where)) return false;
  }
  return package_matches(s, f);
}

bool vulnerability_matches(const VexStatement& st, const model::Finding& f) {
  auto has = [&](const std::string& id) {
    if (id.empty()) return false;
    if (util::iequals(f.rule_id, id)) return true;
    for (auto& a : f.aliases)
      if (util::iequals(a, id)) return true;
    return false;
  };
  if (has(st.vulnerability)) return true;
  return std::any_of(st.aliases.begin(), st.aliases.end(), has);
}

std::string label(const VexStatement& st) {
  std::string what;
  for (auto& s : st.subjects) {
    if (!what.empty()) {
      what += ", …";
      break;
    }
    what = s.purl.empty() ? "the image " + s.image : s.purl;
  }
  return what.empty() ? st.vulnerability : st.vulnerability + " for " + what;
}

bool is_vex(const model::Waiver& w) { return w.reason.starts_with("VEX "); }
bool is_vex(const model::WaiverNotice& n) { return n.reason.starts_with("VEX "); }

VexOutcome apply_vex(model::Run& run, const std::vector<VexStatement>& statements, std::string_view image) {
  VexOutcome out;
  std::unordered_map<std::string, std::vector<std::size_t>> by_id;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    by_id[upper(statements[i].vulnerability)].push_back(i);
    for (auto& a : statements[i].aliases) by_id[upper(a)].push_back(i);
  }
  std::vector<bool> used(statements.size(), false);
  std::vector<std::size_t> candidates;
  for (auto& step : run.steps) {
    for (auto& f : step.findings) {
      candidates.clear();
      auto collect = [&](const std::string& id) {
        if (auto it = by_id.find(upper(id)); it != by_id.end())
          candidates.insert(candidates.end(), it->second.begin(), it->second.end());
      };
      collect(f.rule_id);
      for (auto& a : f.aliases) collect(a);
      if (candidates.empty()) continue;
      std::sort(candidates.begin(), candidates.end());
      candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
      // The latest statement about this vulnerability in this package decides; of two at the
      // same time, the one read last.
      const VexStatement* best = nullptr;
      for (auto i : candidates) {
        auto& st = statements[i];
        if (!vulnerability_matches(st, f)) continue;
        bool hit = std::any_of(st.subjects.begin(), st.subjects.end(),
                               [&](const VexSubject& s) { return subject_matches(s, f, image); });
        if (!hit) continue;
        used[i] = true;
        if (!best || st.time >= best->time) best = &st;
      }
      if (!best) continue;
      switch (best->status) {
        case VexStatus::NotAffected:
        case VexStatus::Fixed:
          if (f.waiver) break;  // a waiver of the user's own stays what is shown
          f.waiver = model::Waiver{best->vulnerability, reason_of(*best), best->author, "", best->source};
          ++out.suppressed;
          break;
        case VexStatus::Affected:
          append_note(f, "VEX affected" + (best->action.empty() ? std::string{} : ": " + best->action) +
                             (best->source.empty() ? "" : " (" + best->source + ")"),
                      "[VEX: affected]");
          ++out.annotated;
          break;
        case VexStatus::UnderInvestigation:
          append_note(f, "VEX under_investigation" + (best->notes.empty() ? std::string{} : ": " + best->notes) +
                             (best->source.empty() ? "" : " (" + best->source + ")"),
                      "[VEX: under investigation]");
          ++out.annotated;
          break;
      }
    }
  }
  for (std::size_t i = 0; i < statements.size(); ++i) {
    if (used[i]) continue;
    auto& st = statements[i];
    run.waiver_notices.push_back({label(st), "stale",
                                  "VEX " + std::string(to_string(st.status)) + " statement",
                                  st.author, "", st.source});
    ++out.stale;
  }
  return out;
}

}  // namespace dg::policy
