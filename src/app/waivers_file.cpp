// Waiver files, one loader for every tool's format:
//  - .dockgate-waivers.yml: `waivers:` (or a top-level list) of {id|rule|package(+version)|purl|
//    path|fingerprint, reason (required), owner, expires: YYYY-MM-DD};
//  - .trivyignore: one id per line, `exp:YYYY-MM-DD`, comments above an id are its reason;
//  - .trivyignore.yaml: vulnerabilities/misconfigurations/secrets/licenses of {id, paths, purls,
//    expired_at, statement};
//  - .grype.yaml: `ignore:` rules of {vulnerability, fix-state, package {name, version, type,
//    location}, reason}.
#include "src/app/waivers_file.hpp"

#include "src/app/vex_file.hpp"
#include "src/app/yaml_fields.hpp"
#include "src/util/file.hpp"
#include "src/util/text.hpp"

namespace dg::app {
namespace {

using yaml::Doc;
using yaml::fail_at;
using yaml::where;
using policy::WaiverRule;

std::string date(const Doc& doc, const YAML::Node& n, std::string_view what) {
  std::string d = util::trim(yaml::scalar(doc, n, what));
  // trivy writes expired_at as a date or a full timestamp.
  if (d.size() > 10 && (d[10] == 'T' || d[10] == ' ')) d.resize(10);
  if (!d.empty() && !policy::valid_date(d))
    fail_at(doc, n.Mark(), std::string(what) + " must be a date YYYY-MM-DD, not '" + n.Scalar() + "'");
  return d;
}

void dockgate_entries(const Doc& doc, const YAML::Node& list, std::vector<WaiverRule>& out) {
  if (!list.IsSequence() && !list.IsNull()) fail_at(doc, list.Mark(), "waivers must be a list of entries (- id: …)");
  for (const auto& e : list) {
    yaml::need_map(doc, e, "a waiver");
    yaml::check_keys(doc, e,
                     {"id", "rule", "package", "version", "purl", "path", "fingerprint", "reason", "owner", "expires"},
                     "a waiver");
    WaiverRule w;
    w.source = where(doc, e);
    auto get = [&](const char* key, std::string& into) {
      if (auto v = e[key]) into = util::trim(yaml::scalar(doc, v, key));
    };
    get("id", w.id);
    get("rule", w.rule);
    get("package", w.package);
    get("version", w.version);
    get("purl", w.purl);
    get("path", w.path);
    get("fingerprint", w.fingerprint);
    get("reason", w.reason);
    get("owner", w.owner);
    if (auto v = e["expires"]) w.expires = date(doc, v, "expires");
    if (w.id.empty() && w.rule.empty() && w.package.empty() && w.purl.empty() && w.path.empty() &&
        w.fingerprint.empty())
      fail_at(doc, e.Mark(), "a waiver needs at least one of id, rule, package, purl, path, fingerprint");
    if (!w.version.empty() && w.package.empty())
      fail_at(doc, e["version"].Mark(), "version needs a package: it is the version of that package");
    if (w.reason.empty()) fail_at(doc, e.Mark(), "a waiver needs a reason: say why the risk is accepted");
    out.push_back(std::move(w));
  }
}

void trivy_yaml(const Doc& doc, const YAML::Node& root, std::vector<WaiverRule>& out) {
  for (const char* section : {"vulnerabilities", "misconfigurations", "secrets", "licenses"}) {
    auto list = root[section];
    if (!list) continue;
    if (!list.IsSequence() && !list.IsNull()) fail_at(doc, list.Mark(), std::string(section) + " must be a list");
    for (const auto& e : list) {
      yaml::need_map(doc, e, section);
      WaiverRule base;
      base.source = where(doc, e);
      if (auto v = e["id"]) base.id = util::trim(yaml::scalar(doc, v, "id"));
      if (base.id.empty()) fail_at(doc, e.Mark(), std::string("an entry of ") + section + " needs an id");
      if (auto v = e["statement"]) base.reason = yaml::scalar(doc, v, "statement");
      if (base.reason.empty()) base.reason = "ignored in .trivyignore.yaml";
      if (auto v = e["expired_at"]) base.expires = date(doc, v, "expired_at");
      // trivy ignores the id at any of the paths or purls: one rule each, so a stale one can
      // be named.
      auto paths = e["paths"] ? yaml::strings(doc, e["paths"], "paths") : std::vector<std::string>{};
      auto purls = e["purls"] ? yaml::strings(doc, e["purls"], "purls") : std::vector<std::string>{};
      if (paths.empty() && purls.empty()) out.push_back(base);
      for (auto& p : paths) {
        WaiverRule w = base;
        w.path = p;
        out.push_back(std::move(w));
      }
      for (auto& p : purls) {
        WaiverRule w = base;
        w.purl = p;
        out.push_back(std::move(w));
      }
    }
  }
}

void grype_yaml(const Doc& doc, const YAML::Node& list, std::vector<WaiverRule>& out) {
  if (!list.IsSequence() && !list.IsNull()) fail_at(doc, list.Mark(), "ignore must be a list of rules");
  for (const auto& e : list) {
    yaml::need_map(doc, e, "an ignore rule");
    WaiverRule w;
    w.source = where(doc, e);
    if (auto v = e["vulnerability"]) w.id = util::trim(yaml::scalar(doc, v, "vulnerability"));
    if (auto v = e["fix-state"]) {
      w.fix_state = util::to_lower(yaml::scalar(doc, v, "fix-state"));
      if (w.fix_state == "wont-fix") w.fix_state = "not-fixed";  // we only know whether a fix exists
      if (w.fix_state != "fixed" && w.fix_state != "not-fixed" && w.fix_state != "unknown")
        fail_at(doc, v.Mark(), "fix-state must be fixed, not-fixed, wont-fix or unknown");
    }
    if (auto v = e["reason"]) w.reason = yaml::scalar(doc, v, "reason");
    if (w.reason.empty()) w.reason = "ignored in .grype.yaml";
    if (auto p = e["package"]) {
      yaml::need_map(doc, p, "package");
      if (auto v = p["name"]) w.package = yaml::scalar(doc, v, "package.name");
      if (auto v = p["version"]) w.version = yaml::scalar(doc, v, "package.version");
      if (auto v = p["type"]) w.package_type = yaml::scalar(doc, v, "package.type");
      if (auto v = p["location"]) w.path = yaml::scalar(doc, v, "package.location");
    }
    if (w.id.empty() && w.package.empty() && w.version.empty() && w.package_type.empty() && w.path.empty() &&
        w.fix_state.empty())
      fail_at(doc, e.Mark(), "an ignore rule needs a vulnerability, a package or a fix-state");
    out.push_back(std::move(w));
  }
}

util::Expected<std::vector<WaiverRule>> trivyignore(const std::string& file, const std::string& text) {
  std::vector<WaiverRule> out;
  std::string comment;
  int line_no = 0;
  for (auto& raw : util::split(text, '\n')) {
    ++line_no;
    std::string line = util::trim(raw);
    if (line.empty()) {
      comment.clear();
      continue;
    }
    if (line.front() == '#') {
      std::string c = util::trim(std::string_view(line).substr(1));
      // Appended in place: rebuilding the string per line made a run of comments quadratic.
      if (!comment.empty()) comment += ' ';
      comment += c;
      continue;
    }
    WaiverRule w;
    w.source = file + ":" + std::to_string(line_no);
    auto words = util::split(line, ' ');
    for (auto& word : words) {
      std::string t = util::trim(word);
      if (t.empty()) continue;
      if (t.starts_with("exp:")) {
        w.expires = t.substr(4);
        if (!policy::valid_date(w.expires)) {
          util::Error e{util::ErrorKind::Usage, "exp: must be a date YYYY-MM-DD, not '" + w.expires + "'", file};
          e.line = line_no;
          e.column = static_cast<int>(raw.find("exp:") + 1);
          return std::unexpected(std::move(e));
        }
      } else if (t.front() == '#') {
        break;  // a trailing comment
      } else if (w.id.empty()) {
        w.id = t;
      }
    }
    if (w.id.empty()) continue;
    w.reason = comment.empty() ? "ignored in .trivyignore" : comment;
    comment.clear();
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace

util::Expected<std::vector<policy::WaiverRule>> load_waivers(const std::filesystem::path& file) {
  auto text = util::read_file(file, 0, util::kMaxTextBytes);
  if (!text) {
    util::Error e = text.error();
    e.kind = util::ErrorKind::Usage;  // a waiver file is configuration
    if (e.file.empty()) e.file = file.string();
    return std::unexpected(std::move(e));
  }
  std::string name = file.filename().string();
  if (name.ends_with("trivyignore")) return trivyignore(file.string(), *text);
  Doc doc{file.string()};
  auto root = yaml::parse(doc, *text);
  if (!root) return std::unexpected(root.error());
  std::vector<WaiverRule> out;
  try {
    const YAML::Node& r = *root;
    if (r.IsNull()) return out;
    if (r.IsScalar()) return trivyignore(file.string(), *text);  // ids one per line read as one YAML string
    // A CycloneDX VEX has `vulnerabilities` like a .trivyignore.yaml: read as one, it would waive
    // the id in every package and ignore what the statement is about.
    if (auto kind = vex_kind(r); kind == "OpenVEX")
      fail_at(doc, r.Mark(), "an OpenVEX document, not a waiver file: this is a VEX document, pass it with --vex");
    else if (kind == "CycloneDX")
      fail_at(doc, r.Mark(), "a CycloneDX document, not a waiver file: a CycloneDX VEX document goes to --vex");
    if (r.IsSequence()) dockgate_entries(doc, r, out);
    else if (r.IsMap() && r["waivers"]) {
      yaml::check_keys(doc, r, {"waivers"}, "the waiver file");
      dockgate_entries(doc, r["waivers"], out);
    } else if (r.IsMap() && r["ignore"]) {
      grype_yaml(doc, r["ignore"], out);  // the rest of .grype.yaml is grype's own configuration
    } else if (r.IsMap() &&
               (r["vulnerabilities"] || r["misconfigurations"] || r["secrets"] || r["licenses"])) {
      trivy_yaml(doc, r, out);
    } else {
      yaml::check_keys(doc, r, {"waivers"}, "the waiver file");
      fail_at(doc, r.Mark(),
              "not a waiver file: expected waivers: (dockgate), ignore: (.grype.yaml) or vulnerabilities: "
              "(.trivyignore.yaml)");
    }
  } catch (const yaml::FieldError& e) {
    return std::unexpected(e.error);
  } catch (const YAML::Exception& e) {
    util::Error err{util::ErrorKind::Usage, e.msg, file.string()};
    if (!e.mark.is_null()) err.line = e.mark.line + 1, err.column = e.mark.column + 1;
    return std::unexpected(std::move(err));
  }
  return out;
}

}  // namespace dg::app
