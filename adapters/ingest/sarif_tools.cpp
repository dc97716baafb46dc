#include "adapters/ingest/sarif_tools.hpp"

#include <algorithm>
#include <cctype>

#include "src/model/step_result.hpp"
#include "src/util/text.hpp"

namespace dg::ingest::sarif {

namespace {

constexpr std::size_t kFieldMax = 300;

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void set_if_empty(std::string& into, std::string_view value) {
  value = trim_view(value);
  if (into.empty() && !value.empty()) into = util::truncate_utf8(value, kFieldMax);
}

// Lower-cased key with its inner white space collapsed ("Installed   Version" -> "installed version").
std::string normalize_key(std::string_view k) {
  std::string out;
  bool space = false;
  for (char c : trim_view(k)) {
    if (is_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// CVE-YYYY-NNNN+ at `i`; returns its length or 0.
std::size_t cve_at(std::string_view s, std::size_t i) {
  if (i + 13 > s.size() || !util::iequals(s.substr(i, 4), "CVE-")) return 0;
  std::size_t j = i + 4;
  for (std::size_t k = 0; k < 4; ++k, ++j)
    if (!is_digit(s[j])) return 0;
  if (s[j++] != '-') return 0;
  std::size_t start = j;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - start >= 4 ? j - i : 0;
}

// GHSA-xxxx-xxxx-xxxx at `i`; returns its length or 0.
std::size_t ghsa_at(std::string_view s, std::size_t i) {
  constexpr std::size_t len = 19;
  if (i + len > s.size() || !util::iequals(s.substr(i, 5), "GHSA-")) return 0;
  for (std::size_t k = 5; k < len; ++k) {
    char c = s[i + k];
    bool dash = k == 9 || k == 14;
    if (dash ? c != '-' : !is_alnum(c)) return 0;
  }
  if (i + len < s.size() && is_alnum(s[i + len])) return 0;
  return len;
}

}  // namespace

ToolProfile profile_for(std::string_view driver_name) {
  std::string lower = util::to_lower(util::trim(driver_name));
  ToolProfile p;
  if (contains(lower, "trivy")) return {Family::Trivy, std::string(model::step::kTrivy), "trivy"};
  if (contains(lower, "grype")) return {Family::Grype, std::string(model::step::kGrype), "grype"};
  if (contains(lower, "hadolint")) return {Family::Hadolint, std::string(model::step::kLint), "hadolint"};
  if (contains(lower, "bandit")) return {Family::Bandit, std::string(model::step::kBandit), "bandit"};
  if (contains(lower, "docker scout") || contains(lower, "docker-scout") || lower == "scout")
    return {Family::DockerScout, "docker-scout", "docker-scout"};
  // A step named after the tool: lower case, runs of anything but [a-z0-9._] become one '-'.
  std::string step;
  for (char c : lower) {
    bool keep = is_alnum(c) || c == '.' || c == '_';
    if (keep) step += c;
    else if (!step.empty() && step.back() != '-') step += '-';
  }
  while (!step.empty() && step.back() == '-') step.pop_back();
  if (step.size() > 64) step.resize(64);
  if (step.empty()) step = "sarif";
  p.step = step;
  p.tool = driver_name.empty() ? "sarif" : util::truncate_utf8(util::trim(driver_name), 100);
  if (contains(lower, "gitleaks") || contains(lower, "trufflehog") || contains(lower, "detect-secrets") ||
      contains(lower, "ggshield") || contains(lower, "secret"))
    p.family = Family::SecretScanner;
  return p;
}

bool reports_vulnerabilities(Family f) {
  return f == Family::Trivy || f == Family::Grype || f == Family::DockerScout;
}

std::string find_vuln_id(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && is_alnum(s[i - 1])) continue;  // "XCVE-…" is not an id
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
    std::size_t n = c == 'C' ? cve_at(s, i) : c == 'G' ? ghsa_at(s, i) : 0;
    if (n == 0) continue;
    std::string id(s.substr(i, n));
    // GHSA ids are lower case after the prefix by convention; CVE ids are all digits.
    for (std::size_t k = 0; k < 4 && k < id.size(); ++k) id[k] = static_cast<char>(std::toupper(static_cast<unsigned char>(id[k])));
    if (c == 'G') {
      id[4] = '-';
      for (std::size_t k = 5; k < id.size(); ++k) id[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(id[k])));
    }
    return id;
  }
  return {};
}

void facts_from_fields(std::string_view text, PackageFacts& p) {
  std::size_t pos = 0;
  int lines = 0;
  while (pos < text.size() && lines++ < 64) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    std::size_t colon = line.find(':');
    if (colon > 40) continue;  // no key of ours is longer (npos, no colon at all, is larger still)
    std::string_view raw_key = line.substr(0, colon);
    if (!std::all_of(raw_key.begin(), raw_key.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == ' ' || c == '\t' || c == '_'; }))
      continue;
    std::string key = normalize_key(raw_key);
    std::string_view value = trim_view(line.substr(colon + 1));
    if (key == "package" || key == "package name" || key == "pkgname" || key == "pkg") {
      if (value.starts_with("pkg:")) facts_from_purl(value, p);
      else set_if_empty(p.name, value);
    } else if (key == "installed version" || key == "version" || key == "current version") {
      set_if_empty(p.version, value);
    } else if (key == "fixed version" || key == "fix version" || key == "fixed versions" || key == "fixed in") {
      if (!no_fix(value)) set_if_empty(p.fixed, value);
    } else if (key == "type" || key == "package type") {
      set_if_empty(p.type, value);
    } else if (key == "purl") {
      facts_from_purl(value, p);
    } else if (key == "location") {
      set_if_empty(p.path, value);
    }
  }
}

void facts_from_grype_message(std::string_view text, PackageFacts& p) {
  // 0.40+: "A low vulnerability in rpm package: package-1, version 1.1.1 was found in image …"
  if (auto at = text.find(" package: "); at != std::string_view::npos) {
    std::size_t name_start = at + 10;
    std::size_t comma = text.find(", version ", name_start);
    if (comma != std::string_view::npos) {
      set_if_empty(p.name, text.substr(name_start, comma - name_start));
      std::size_t v = comma + 10;
      std::size_t end = v;
      while (end < text.size() && !is_space(text[end])) ++end;
      set_if_empty(p.version, text.substr(v, end - v));
      if (auto in = text.rfind(" in ", at); in != std::string_view::npos)
        set_if_empty(p.type, text.substr(in + 4, at - in - 4));
    }
    return;
  }
  // older: "The path lib/x.jar reports NAME at version V  which would result in …"
  if (auto at = text.find(" reports "); at != std::string_view::npos) {
    std::size_t name_start = at + 9;
    std::size_t av = text.find(" at version ", name_start);
    if (av == std::string_view::npos) return;
    set_if_empty(p.name, text.substr(name_start, av - name_start));
    std::size_t v = av + 12;
    std::size_t end = v;
    while (end < text.size() && !is_space(text[end])) ++end;
    set_if_empty(p.version, text.substr(v, end - v));
    if (text.starts_with("The path ")) set_if_empty(p.path, text.substr(9, at - 9));
  }
}

void facts_from_at_version(std::string_view text, PackageFacts& p) {
  // The last token with an '@' that is neither first nor last in it; e-mail addresses are rare
  // in vulnerability text and have no digits right after '@' in practice.
  if (text.find('@') == std::string_view::npos) return;  // most messages: one vectorized scan, not a token walk
  std::size_t end = text.size();
  while (end > 0) {
    while (end > 0 && is_space(text[end - 1])) --end;
    std::size_t start = end;
    while (start > 0 && !is_space(text[start - 1])) --start;
    std::string_view tok = text.substr(start, end - start);
    auto at = tok.rfind('@');
    if (at != std::string_view::npos && at > 0 && at + 1 < tok.size() && is_digit(tok[at + 1])) {
      set_if_empty(p.name, tok.substr(0, at));
      set_if_empty(p.version, tok.substr(at + 1));
      return;
    }
    end = start;
  }
}

void facts_from_purl(std::string_view purl, PackageFacts& p) {
  purl = trim_view(purl);
  if (!purl.starts_with("pkg:")) return;
  set_if_empty(p.purl, purl);
  std::string_view rest = purl.substr(4);
  if (auto h = rest.find('#'); h != std::string_view::npos) rest = rest.substr(0, h);
  if (auto q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return;
  set_if_empty(p.type, rest.substr(0, slash));
  rest = rest.substr(slash + 1);
  std::string_view version;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    version = rest.substr(at + 1);
    rest = rest.substr(0, at);
  }
  if (auto last = rest.rfind('/'); last != std::string_view::npos) rest = rest.substr(last + 1);
  set_if_empty(p.name, percent_decode(rest));
  set_if_empty(p.version, percent_decode(version));
}

bool no_fix(std::string_view v) {
  v = trim_view(v);
  return v.empty() || util::iequals(v, "not fixed") || util::iequals(v, "none") || util::iequals(v, "n/a") ||
         util::iequals(v, "unknown") || util::iequals(v, "won't fix") || util::iequals(v, "wont-fix");
}

std::string percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  // "%FF" decodes to a byte that is not UTF-8; every writer downstream expects valid text.
  if (util::find_invalid_utf8(out) != std::string::npos) return util::to_valid_utf8(out);
  return out;
}

}  // namespace dg::ingest::sarif
