// GitLab security report (container scanning, schema 14.x-15.x, as trivy's gitlab.tpl writes it;
// dependency-scanning reports share the shape):
//   {version, scan: {scanner: {id, name, version}, type}, vulnerabilities: [{id, name, message?,
//    description, severity, solution, identifiers: [{type, name, value, url}], links: [{url}],
//    location: {dependency: {package: {name}, version}, image, operating_system, file?}}]}
#include <string>
#include <vector>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

namespace od = json::od;

constexpr std::size_t kMaxMessageBytes = 1000;

struct Identifier {
  std::string_view type, value, url;
};

struct Scanner {
  std::string id, version;
};

void read_scanner(const Input& in, od::value v, std::string_view what, Scanner& s) {
  if (json::is_null(v)) return;
  std::string name;
  for (auto field : json::object(in, v, what)) {
    std::string_view key = json::key(field);
    if (key == "id") s.id = util::to_lower(json::str(in, field.value(), key));
    else if (key == "name") name = util::to_lower(json::str(in, field.value(), key));
    else if (key == "version") s.version = json::string(in, field.value(), key);
  }
  if (s.id.empty()) s.id = name;
}

// scan: {scanner, analyzer, type, …}
void read_scan(const Input& in, od::value v, Scanner& s, std::string& type) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, "scan")) {
    std::string_view key = json::key(field);
    if (key == "scanner") read_scanner(in, field.value(), "scan.scanner", s);
    else if (key == "type") type = json::string(in, field.value(), key);
  }
}

void read_identifiers(const Input& in, od::value v, std::vector<Identifier>& out) {
  od::array items;
  if (!json::optional_array(in, v, "identifiers", items)) return;
  for (auto el : items) {
    Identifier id;
    for (auto field : json::object(in, el.value(), "identifiers[]")) {
      std::string_view key = json::key(field);
      if (key == "type") id.type = json::str(in, field.value(), key);
      else if (key == "value") id.value = json::str(in, field.value(), key);
      else if (key == "url") id.url = json::str(in, field.value(), key);
    }
    if (!id.value.empty()) out.push_back(id);
  }
}

std::string_view first_link(const Input& in, od::value v) {
  od::array items;
  std::string_view url;
  if (!json::optional_array(in, v, "links", items)) return url;
  for (auto el : items) {
    od::value link = el.value();
    if (json::is_null(link)) continue;
    for (auto field : json::object(in, link, "links[]")) {
      std::string_view key = json::key(field);
      if (key == "url" && url.empty()) url = json::str(in, field.value(), key);
    }
  }
  return url;
}

// location.dependency: {package: {name}, version}
void read_dependency(const Input& in, od::value v, model::Package& p) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, "location.dependency")) {
    std::string_view key = json::key(field);
    od::value x = field.value();
    if (key == "version") p.version = json::string(in, x, key);
    else if (key == "package" && !json::is_null(x)) {
      for (auto pf : json::object(in, x, "location.dependency.package")) {
        std::string_view pk = json::key(pf);
        if (pk == "name") p.name = json::string(in, pf.value(), pk);
      }
    }
  }
}

void read_location(const Input& in, od::value v, model::Finding& f) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, "location")) {
    std::string_view key = json::key(field);
    od::value x = field.value();
    if (key == "dependency") read_dependency(in, x, f.package);
    else if (key == "image") f.location.target = json::string(in, x, key);
    else if (key == "file") f.location.path = json::string(in, x, key);
  }
}

// trivy writes "Upgrade <package> to <fixed version>"; GitLab's own analyzers write prose.
std::string fixed_version_from(std::string_view solution, std::string_view package) {
  std::string prefix = "Upgrade " + std::string(package) + " to ";
  if (package.empty() || !solution.starts_with(prefix)) return {};
  std::string_view rest = solution.substr(prefix.size());
  if (rest.empty() || rest.find(' ') != std::string_view::npos) return {};
  return std::string(rest);
}

bool alias_type(std::string_view type) { return !util::iequals(type, "cwe") && !util::iequals(type, "owasp"); }

bool looks_like_advisory(std::string_view id) {
  return util::starts_with_icase(id, "CVE-") || util::starts_with_icase(id, "GHSA-");
}

void add_alias(model::Finding& f, std::string_view id) {
  if (id.empty() || id == f.rule_id) return;
  for (auto& a : f.aliases)
    if (a == id) return;
  f.aliases.emplace_back(id);
}

model::Finding read_vulnerability(const Input& in, od::value item, Scanner& scanner) {
  model::Finding f;
  f.kind = model::Kind::Vulnerability;
  std::string_view id, cve, message, solution, link;
  std::vector<Identifier> ids;
  for (auto field : json::object(in, item, "vulnerabilities[]")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "identifiers") read_identifiers(in, v, ids);
    else if (key == "name") f.title = json::string(in, v, key);
    else if (key == "description") f.message = util::truncate_utf8(json::str(in, v, key), kMaxMessageBytes);
    else if (key == "severity") f.tool_severity = json::string(in, v, key);
    else if (key == "location") read_location(in, v, f);
    else if (key == "solution") solution = json::str(in, v, key);
    else if (key == "links") link = first_link(in, v);
    else if (key == "id") id = json::str(in, v, key);
    else if (key == "cve") cve = json::str(in, v, key);
    else if (key == "message") message = json::str(in, v, key);
    else if (key == "confidence") f.confidence = json::string(in, v, key);
    else if (key == "scanner" && scanner.id.empty()) read_scanner(in, v, "scanner", scanner);
  }
  // The primary id: the first CVE identifier, else the first identifier (identifiers[0] is
  // GitLab's "primary identifier"), else the deprecated cve key, else id (often a UUID).
  const Identifier* primary = nullptr;
  for (auto& i : ids)
    if (util::iequals(i.type, "cve")) { primary = &i; break; }
  if (!primary && !ids.empty()) primary = &ids.front();
  if (primary) {
    f.rule_id = std::string(primary->value);
    f.help_uri = std::string(primary->url);
  } else {
    f.rule_id = std::string(!cve.empty() ? cve : id);
  }
  if (f.rule_id.empty())
    throw json::JsonError(json::offset_of(in, item), "a vulnerability has neither identifiers nor an id");
  for (auto& i : ids)
    if (alias_type(i.type)) add_alias(f, i.value);
  if (looks_like_advisory(cve)) add_alias(f, cve);
  if (looks_like_advisory(id)) add_alias(f, id);
  if (f.help_uri.empty()) f.help_uri = std::string(link);
  if (f.title.empty()) f.title = std::string(message);
  if (f.title.empty()) f.title = f.rule_id;
  f.package.fixed_version = fixed_version_from(solution, f.package.name);
  f.severity = model::severity_from_word(f.tool_severity);
  return f;
}

}  // namespace

ParseResult parse_gitlab_security_json(const Input& in) {
  return json::parse_json(in, "GitLab security report", [&](od::value root, ParsedReport& out) {
    out.format = "gitlab-container-scanning";
    model::StepResult step;
    Scanner scanner;
    std::string scan_type;
    bool any_vulnerabilities = false;
    for (auto field : json::object(in, root, "(root)")) {
      std::string_view key = json::key(field);
      od::value v = field.value();
      if (key == "vulnerabilities") {
        any_vulnerabilities = true;
        od::array items;
        if (json::optional_array(in, v, key, items))
          for (auto el : items) step.findings.push_back(read_vulnerability(in, el.value(), scanner));
      } else if (key == "scan") {
        Scanner top;
        read_scan(in, v, top, scan_type);
        if (!top.id.empty()) scanner = top;
      }
    }
    if (!any_vulnerabilities) throw json::JsonError(0, "no \"vulnerabilities\" array");
    // trivy and grype results join their own steps (and dedup with their JSON reports).
    if (scanner.id == "trivy" || scanner.id == "grype") step.name = scanner.id;
    else if (scan_type == "dependency_scanning") step.name = "dependency-scanning";
    else step.name = "container-scanning";
    step.tool = scanner.id.empty() ? "gitlab" : scanner.id;
    step.tool_version = scanner.version;
    if (scan_type == "dependency_scanning") out.format = "gitlab-dependency-scanning";
    for (auto& f : step.findings) {
      f.tool = step.tool;
      f.sources = {step.tool};
    }
    model::assign_fingerprints(step.findings);
    out.steps.push_back(std::move(step));
  });
}

}  // namespace dg::ingest
