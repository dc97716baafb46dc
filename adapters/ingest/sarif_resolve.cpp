#include "adapters/ingest/sarif_resolve.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include "src/util/text.hpp"

namespace dg::ingest::sarif {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view first_line(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  auto nl = s.find('\n');
  s = s.substr(0, nl);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool has_tag(const Rule* rule, std::string_view word) {
  if (!rule) return false;
  for (auto& t : rule->tags)
    if (util::iequals(t, word)) return true;
  return false;
}

const Rule* lookup(const Run& run, const Component& comp, std::string_view id) {
  if (id.empty()) return nullptr;
  if (auto* r = comp.find(id)) return r;
  if (auto* r = run.driver.find(id)) return r;
  for (auto& e : run.extensions)
    if (auto* r = e.find(id)) return r;
  return nullptr;
}

// By index when the index is valid and agrees with the id, else by id; hierarchical ids
// ("C2001/unused-arg") fall back to their base rule. gitleaks 7 writes no ruleId at all but
// starts its message with the rule's id ("AWS Access Key secret detected").
const Rule* rule_for(const Run& run, const Result& r, const Component*& comp) {
  comp = r.component >= 0 && static_cast<std::size_t>(r.component) < run.extensions.size()
             ? &run.extensions[static_cast<std::size_t>(r.component)]
             : &run.driver;
  if (r.rule_index >= 0 && static_cast<std::size_t>(r.rule_index) < comp->rules.size()) {
    const Rule& by_index = comp->rules[static_cast<std::size_t>(r.rule_index)];
    if (r.rule_id.empty() || r.rule_id == by_index.id || r.rule_id.starts_with(by_index.id + "/")) return &by_index;
  }
  if (!r.rule_id.empty()) {
    if (auto* rule = lookup(run, *comp, r.rule_id)) return rule;
    if (auto slash = r.rule_id.find('/'); slash != std::string::npos)
      return lookup(run, *comp, std::string_view(r.rule_id).substr(0, slash));
    return nullptr;
  }
  std::string_view text = r.text;
  int words = 0;
  for (std::size_t pos = text.find(' '); pos != std::string_view::npos && words++ < 8; pos = text.find(' ', pos + 1))
    if (auto* rule = lookup(run, *comp, text.substr(0, pos))) return rule;
  return nullptr;
}

const std::string* message_string(const std::vector<std::pair<std::string, std::string>>& strings,
                                  std::string_view id) {
  for (auto& [k, v] : strings)
    if (k == id) return &v;
  return nullptr;
}

std::string message_text(const Run& run, const Component& comp, const Rule* rule, const Result& r) {
  std::string_view tmpl = r.text;
  if (tmpl.empty() && !r.message_id.empty()) {
    const std::string* s = rule ? message_string(rule->message_strings, r.message_id) : nullptr;
    if (!s) s = message_string(comp.global_message_strings, r.message_id);
    if (!s) s = message_string(run.driver.global_message_strings, r.message_id);
    if (s) tmpl = *s;
  }
  if (r.arguments.empty()) return std::string(tmpl);
  return format_message(tmpl, r.arguments);
}

// SARIF levels; note is a real (low) problem, none is informational.
model::Severity level_severity(std::string_view level) {
  if (util::iequals(level, "error")) return model::Severity::High;
  if (util::iequals(level, "warning")) return model::Severity::Medium;
  if (util::iequals(level, "note")) return model::Severity::Low;
  if (util::iequals(level, "none")) return model::Severity::Info;
  return model::severity_from_word(level);
}

bool parse_score(std::string_view s, double& score) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), score);
  return ec == std::errc() && std::isfinite(score) && score >= 0 && score <= 10;
}

void set_severity(model::Finding& f, const Result& r, const Rule* rule) {
  const std::string& sec = !r.security_severity.empty() ? r.security_severity
                           : rule                       ? rule->security_severity
                                                        : r.security_severity;
  if (double score = 0; parse_score(sec, score)) {
    f.severity = model::severity_from_score(score);
    f.tool_severity = sec;
    return;
  }
  std::string level = r.level;
  if (level.empty() && rule) level = rule->level;
  if (level.empty() && rule && !rule->problem_severity.empty())  // CodeQL: error / warning / recommendation
    level = util::iequals(rule->problem_severity, "recommendation") ? "note" : rule->problem_severity;
  if (level.empty()) level = "warning";  // SARIF §3.27.10: the default level
  f.severity = level_severity(level);
  f.tool_severity = level;
}

bool is_hardcoded_password(std::string_view rule_id) {
  return rule_id == "B105" || rule_id == "B106" || rule_id == "B107";
}

model::Kind kind_for(const ToolProfile& p, const Rule* rule, std::string_view rule_id) {
  switch (p.family) {
    case Family::Trivy: {
      // trivy names its rules after the result class and tags them the same way.
      std::string name = rule ? util::to_lower(rule->name) : std::string();  // once, not per word
      auto is = [&](std::string_view word) { return has_tag(rule, word) || name.find(word) != std::string::npos; };
      if (is("misconfiguration")) return model::Kind::Misconfiguration;
      if (is("secret")) return model::Kind::Secret;
      if (is("license")) return model::Kind::License;
      return model::Kind::Vulnerability;
    }
    case Family::Grype:
    case Family::DockerScout: return model::Kind::Vulnerability;
    case Family::Hadolint: return model::Kind::Lint;
    case Family::Bandit: return is_hardcoded_password(rule_id) ? model::Kind::Secret : model::Kind::Code;
    case Family::SecretScanner: return model::Kind::Secret;
    case Family::Generic: break;
  }
  // dependency-check, Snyk, OSV-Scanner…: a rule that is a CVE or GHSA is a vulnerability.
  auto id = find_vuln_id(rule_id);
  if (!id.empty() && util::starts_with_icase(rule_id, id)) return model::Kind::Vulnerability;
  return model::Kind::Code;
}

void merge_facts(PackageFacts& into, const PackageFacts& from) {
  auto fill = [](std::string& a, const std::string& b) {
    if (a.empty()) a = b;
  };
  fill(into.name, from.name);
  fill(into.version, from.version);
  fill(into.fixed, from.fixed);
  fill(into.type, from.type);
  fill(into.purl, from.purl);
  fill(into.path, from.path);
}

void set_package(model::Finding& f, const ToolProfile& p, const Rule* rule, const Result& r,
                 std::string_view text) {
  PackageFacts facts;
  facts_from_fields(text, facts);                                // trivy, Docker Scout
  if (p.family == Family::Grype) facts_from_grype_message(text, facts);
  facts_from_at_version(r.location_message, facts);              // trivy: "target: name@version"
  if (rule) {
    // A rule describes one package only for grype (its ids are "CVE-…-<package>"); trivy and
    // Scout share a rule between packages, so its facts are used only for the same package.
    PackageFacts from_rule;
    facts_from_fields(rule->help_text, from_rule);
    if (!rule->purl.empty()) facts_from_purl(rule->purl, from_rule);
    if (!no_fix(rule->fixed_version) && from_rule.fixed.empty())
      from_rule.fixed = util::truncate_utf8(rule->fixed_version, kShortMax);
    if (facts.name.empty() || facts.name == from_rule.name) merge_facts(facts, from_rule);
  }
  if (facts.name.empty()) facts_from_at_version(text, facts);   // "… in openssl@1.1.1"
  if (facts.name.empty()) facts_from_at_version(r.logical, facts);
  f.package.name = std::move(facts.name);
  f.package.version = std::move(facts.version);
  f.package.fixed_version = std::move(facts.fixed);
  f.package.type = std::move(facts.type);
  f.package.purl = std::move(facts.purl);
  f.package.path = std::move(facts.path);
}

// trivy's misconfiguration and secret messages are "Key: value" blocks whose "Message:" line is
// the specific text.
std::string trivy_message_line(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (line.starts_with("Message: ")) return std::string(line.substr(9));
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return {};
}

void set_texts(model::Finding& f, const ToolProfile& p, const Rule* rule, std::string text) {
  const std::string empty;
  const std::string& short_desc = rule ? rule->short_description : empty;
  const std::string& full_desc = rule ? rule->full_description : empty;
  auto fallback_title = [&]() -> std::string {
    if (!short_desc.empty()) return short_desc;
    if (rule && !rule->name.empty()) return rule->name;
    return f.rule_id;
  };
  if (f.kind == model::Kind::Vulnerability) {
    // Scanners' result text repeats the package facts; the rule says what the issue is.
    f.title = short_desc.empty() ? util::truncate_utf8(first_line(text), kShortMax) : short_desc;
    if (full_desc.empty())
      f.message = std::move(text);
    else
      f.message = full_desc;
    return;
  }
  if (p.family == Family::Trivy) {
    f.title = fallback_title();
    std::string line = trivy_message_line(text);
    f.message = line.empty() ? std::move(text) : std::move(line);
    return;
  }
  if (text.empty()) {
    f.title = fallback_title();
    f.message = full_desc;
    return;
  }
  f.title = util::truncate_utf8(first_line(text), kShortMax);
  f.message = std::move(text);
}

std::string strip_file_scheme(std::string uri) {
  std::string_view u = uri;
  if (util::starts_with_icase(u, "file://")) u.remove_prefix(7);
  else if (util::starts_with_icase(u, "file:")) u.remove_prefix(5);
  else return uri;
  // "file:///C:/x" -> "C:/x"; "file:////src/x" -> "/src/x"; "file://host/x" keeps "host/x".
  while (u.size() >= 2 && u[0] == '/' && u[1] == '/') u.remove_prefix(1);
  if (u.size() >= 3 && u[0] == '/' && std::isalpha(static_cast<unsigned char>(u[1])) && u[2] == ':') u.remove_prefix(1);
  return std::string(u);
}

bool is_absolute_uri(std::string_view s) {
  if (s.starts_with('/')) return true;
  auto colon = s.find(':');
  auto slash = s.find('/');
  return colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash);
}

}  // namespace

std::string format_message(std::string_view tmpl, const std::vector<std::string>& args) {
  std::string out;
  out.reserve(tmpl.size());
  for (std::size_t i = 0; i < tmpl.size() && out.size() < kMessageMax * 2; ++i) {
    char c = tmpl[i];
    if ((c == '{' || c == '}') && i + 1 < tmpl.size() && tmpl[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == '{') {
      std::size_t close = tmpl.find('}', i + 1);
      std::size_t n = 0;
      auto digits = tmpl.substr(i + 1, close == std::string_view::npos ? 0 : close - i - 1);
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
      if (!digits.empty() && ec == std::errc() && p == digits.data() + digits.size() && n < args.size()) {
        out += args[n];
        i = close;
        continue;
      }
    }
    out += c;
  }
  return util::truncate_utf8(out, kMessageMax);
}

std::string display_path(const Run& run, std::string uri, std::string base) {
  for (int depth = 0; depth < 8 && !base.empty() && !is_absolute_uri(uri); ++depth) {
    auto it = run.base_ids.find(base);
    if (it == run.base_ids.end()) break;
    std::string prefix = util::trim(it->second.uri);
    if (prefix.empty() || is_absolute_uri(prefix)) break;
    if (prefix.back() != '/') prefix += '/';
    uri = prefix + uri;
    base = it->second.base;
  }
  std::string path = percent_decode(strip_file_scheme(std::move(uri)));
  while (path.starts_with("./")) path.erase(0, 2);
  return util::truncate_utf8(path, kTextMax);
}

void resolve_run(const Input& in, Run& run, const ToolProfile& profile, std::vector<model::Finding>& out) {
  out.reserve(out.size() + run.results.size());
  for (auto& r : run.results) {
    if (util::iequals(r.kind, "pass") || util::iequals(r.kind, "notApplicable")) continue;
    const Component* comp = nullptr;
    const Rule* rule = rule_for(run, r, comp);
    model::Finding f;
    f.tool = profile.tool;
    f.sources = {profile.tool};
    std::string rule_id = !r.rule_id.empty() ? r.rule_id : rule ? rule->id : std::string();
    if (rule_id.empty()) rule_id = "unknown-rule";
    f.kind = kind_for(profile, rule, rule_id);
    std::string text = message_text(run, *comp, rule, r);

    if (r.uri.empty() && r.artifact_index >= 0 && static_cast<std::size_t>(r.artifact_index) < run.artifacts.size()) {
      auto& a = run.artifacts[static_cast<std::size_t>(r.artifact_index)];
      r.uri = a.uri;
      if (r.uri_base.empty()) r.uri_base = a.base;
    }
    if (!r.uri.empty()) f.location.path = display_path(run, std::move(r.uri), std::move(r.uri_base));
    else f.location.target = r.logical;  // copied: set_package reads name@version from it below
    f.location.line = r.line;
    f.location.column = r.column;
    f.location.end_line = r.end_line;
    // Never the matched text of a secret (DESIGN: security).
    if (f.kind != model::Kind::Secret) f.location.snippet = std::move(r.snippet);

    if (f.kind == model::Kind::Vulnerability) {
      set_package(f, profile, rule, r, text);
      auto id = find_vuln_id(rule_id);
      f.rule_id = id.empty() ? std::move(rule_id) : std::move(id);
    } else {
      f.rule_id = std::move(rule_id);
    }
    set_severity(f, r, rule);
    set_texts(f, profile, rule, std::move(text));
    if (rule) f.help_uri = rule->help_uri;
    f.confidence = !r.confidence.empty() ? std::move(r.confidence) : rule ? rule->precision : std::string();
    if (r.suppressed) {
      model::Waiver w;
      w.id = "sarif-suppression";
      w.reason = r.justification.empty() ? "suppressed in SARIF" : std::move(r.justification);
      w.source = in.name;
      f.waiver = std::move(w);
    }
    out.push_back(std::move(f));
  }
  run.results.clear();
  run.results.shrink_to_fit();
}

}  // namespace dg::ingest::sarif
