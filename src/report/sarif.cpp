// SARIF 2.1.0 for GitHub code scanning and Jenkins warnings-ng: one run per tool, because
// GitHub rejects an upload with several runs of the same tool and category.
#include <nlohmann/json.hpp>

#include <map>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/writers.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

using json = nlohmann::ordered_json;
using model::Finding;
using model::Severity;

constexpr std::string_view kSrcRoot = "%SRCROOT%";

std::string information_uri(const std::string& tool) {
  static const std::map<std::string, std::string, std::less<>> known{
      {"hadolint", "https://github.com/hadolint/hadolint"},
      {"trivy", "https://github.com/aquasecurity/trivy"},
      {"grype", "https://github.com/anchore/grype"},
      {"bandit", "https://github.com/PyCQA/bandit"},
  };
  if (auto it = known.find(util::to_lower(tool)); it != known.end()) return it->second;
  return "https://github.com/dockgate/dockgate";
}

std::string level(Severity s) {
  switch (s) {
    case Severity::Critical:
    case Severity::High: return "error";
    case Severity::Medium:
    case Severity::Unknown: return "warning";
    case Severity::Low:
    case Severity::Info: break;
  }
  return "note";
}

// A repository-relative URI reference: forward slashes, no leading "./" or "/", and every byte
// outside the unreserved/path set percent-encoded.
std::string relative_uri(std::string path) {
  for (auto& c : path)
    if (c == '\\') c = '/';
  while (path.starts_with("./")) path.erase(0, 2);
  while (path.starts_with("/")) path.erase(0, 1);
  std::string out;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == '@' || c == '+')
      out += static_cast<char>(c);
    else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out.empty() ? "Dockerfile" : out;
}

std::vector<std::string> tags(const Finding& f) {
  using model::Kind;
  switch (f.kind) {
    case Kind::Vulnerability: return {"security", "vulnerability"};
    case Kind::Misconfiguration: return {"security", "misconfiguration"};
    case Kind::Secret: return {"security", "secret"};
    case Kind::License: return {"security", "license"};
    case Kind::Code: return {"security", "code"};
    case Kind::Lint: return {"maintainability", "dockerfile"};
    case Kind::Image: return {"image"};
    case Kind::Smoke: return {"smoke-test"};
    case Kind::Other: break;
  }
  return {"other"};
}

std::string precision(const Finding& f) {
  if (f.kind == model::Kind::Vulnerability) return "very-high";
  std::string c = util::to_lower(f.confidence);
  if (c == "high" || c == "medium" || c == "low") return c;
  return "high";
}

std::string message_text(const Finding& f) {
  std::string m = one_line(f.title);
  if (m.empty()) m = f.rule_id;
  if (auto fix = package_fix(f); !fix.empty()) m += " (" + one_line(fix) + ")";
  if (!f.location.target.empty()) m += " in " + one_line(f.location.target);
  // Secret findings carry the matched text in their message: never copy it.
  if (f.kind != model::Kind::Secret && !f.message.empty() && f.message != f.title)
    m += ". " + util::truncate_utf8(one_line(f.message), 2000);
  return m;
}

json rule_for(const Finding& f) {
  json r;
  r["id"] = f.rule_id;
  r["name"] = std::string(model::to_string(f.kind)) + "/" + f.rule_id;
  std::string title = one_line(f.title);
  if (title.empty()) title = f.rule_id;
  r["shortDescription"] = {{"text", util::truncate_utf8(title, 1000)}};
  std::string full = f.kind == model::Kind::Secret || f.message.empty() ? title : one_line(f.message);
  r["fullDescription"] = {{"text", util::truncate_utf8(full, 4000)}};
  bool url = safe_url(f.help_uri);
  if (url) r["helpUri"] = f.help_uri;
  std::string help_text = util::truncate_utf8(full, 4000) + (url ? "\n" + f.help_uri : "");
  std::string help_md = "**" + md_text(title, 1000) + "**";
  if (full != title) help_md += "\n\n" + md_text(full, 4000);
  if (url) help_md += "\n\n[More information](" + f.help_uri + ")";
  r["help"] = {{"text", help_text}, {"markdown", help_md}};
  r["defaultConfiguration"] = {{"level", level(f.severity)}};
  json props;
  props["tags"] = tags(f);
  props["precision"] = precision(f);
  if (auto ss = security_severity(f)) props["security-severity"] = *ss;
  props["dockgate-kind"] = std::string(model::to_string(f.kind));
  r["properties"] = std::move(props);
  return r;
}

json physical(const std::string& path, int line, int column, int end_line) {
  json loc;
  loc["artifactLocation"] = {{"uri", relative_uri(path)}, {"uriBaseId", kSrcRoot}};
  if (line > 0) {
    json region{{"startLine", line}};
    if (column > 0) region["startColumn"] = column;
    if (end_line >= line) region["endLine"] = end_line;
    loc["region"] = std::move(region);
  }
  return loc;
}

json result_for(const Finding& f, std::size_t rule_index, const std::string& dockerfile) {
  json r;
  r["ruleId"] = f.rule_id;
  r["ruleIndex"] = rule_index;
  r["level"] = level(f.severity);
  r["message"] = {{"text", message_text(f)}};
  json location;
  if (!f.location.path.empty()) {
    location["physicalLocation"] = physical(f.location.path, f.location.line, f.location.column, f.location.end_line);
  } else {
    // No file: the image is where the finding lives. GitHub needs a physical location to show
    // a result at all, so it is pinned to the Dockerfile that built the image.
    location["physicalLocation"] = physical(dockerfile, 1, 0, 0);
    json logical = json::array();
    if (!f.location.target.empty())
      logical.push_back({{"name", one_line(f.location.target)}, {"kind", "resource"}});
    if (!f.package.name.empty()) {
      std::string pkg = f.package.name + (f.package.version.empty() ? "" : "@" + f.package.version);
      json l{{"name", one_line(pkg)}, {"kind", "module"}};
      if (!f.location.target.empty()) l["fullyQualifiedName"] = one_line(f.location.target) + "/" + one_line(pkg);
      logical.push_back(std::move(l));
    }
    if (!logical.empty()) location["logicalLocations"] = std::move(logical);
  }
  r["locations"] = json::array({std::move(location)});
  r["partialFingerprints"] = {{"dockgate/v1", f.fingerprint}};
  if (f.baseline == model::BaselineState::New) r["baselineState"] = "new";
  else if (f.baseline == model::BaselineState::Unchanged) r["baselineState"] = "unchanged";
  if (f.waiver) {
    json sup{{"kind", "external"}, {"status", "accepted"}, {"justification", one_line(f.waiver->reason)}};
    r["suppressions"] = json::array({std::move(sup)});
  }
  json props;
  props["severity"] = std::string(model::to_string(f.severity));
  if (!f.tool_severity.empty()) props["tool-severity"] = one_line(f.tool_severity);
  if (!f.aliases.empty()) props["aliases"] = f.aliases;
  if (f.sources.size() > 1) props["sources"] = f.sources;
  if (!f.package.purl.empty()) props["purl"] = f.package.purl;
  if (!f.package.fixed_version.empty()) props["fixed-version"] = f.package.fixed_version;
  r["properties"] = std::move(props);
  return r;
}

}  // namespace

std::string write_sarif(const model::Run& run) {
  std::string dockerfile = dockerfile_path(run);
  std::string job = run.context.job_name.empty() ? "dockgate" : one_line(run.context.job_name);

  // Steps that share a tool (smoke-test and image-size are both dockgate) share a run.
  std::vector<std::string> tools;
  std::map<std::string, std::vector<const model::StepResult*>> by_tool;
  for (auto& s : run.steps) {
    // A skipped or errored step without findings writes no run: an empty run would tell code
    // scanning that every earlier alert of that tool is fixed.
    bool ran = s.status == model::StepStatus::Passed || s.status == model::StepStatus::Failed;
    if (!ran && s.findings.empty()) continue;
    std::string tool = s.tool.empty() ? s.name : s.tool;
    if (!by_tool.contains(tool)) tools.push_back(tool);
    by_tool[tool].push_back(&s);
  }

  json runs = json::array();
  for (auto& tool : tools) {
    auto& steps = by_tool[tool];
    json driver;
    driver["name"] = tool;
    for (auto* s : steps)
      if (!s->tool_version.empty()) {
        driver["version"] = s->tool_version;
        break;
      }
    if (!driver.contains("version") && tool.starts_with("dockgate")) driver["version"] = run.dockgate_version;
    driver["informationUri"] = information_uri(tool);
    json rules = json::array(), results = json::array();
    std::map<std::string, std::size_t> rule_index;
    json notifications = json::array();
    bool ok = true;
    for (auto* s : steps) {
      if (s->status == model::StepStatus::Error) {
        ok = false;
        for (auto& e : s->errors) notifications.push_back({{"level", "error"}, {"message", {{"text", one_line(e)}}}});
      }
      for (auto* f : worst_first(s->findings)) {
        auto [it, fresh] = rule_index.try_emplace(f->rule_id, rule_index.size());
        if (fresh) rules.push_back(rule_for(*f));  // worst first: a rule takes its worst finding's level
        results.push_back(result_for(*f, it->second, dockerfile));
      }
    }
    driver["rules"] = std::move(rules);
    json r;
    r["tool"] = {{"driver", std::move(driver)}};
    json inv{{"executionSuccessful", ok}};
    if (!notifications.empty()) inv["toolExecutionNotifications"] = std::move(notifications);
    r["invocations"] = json::array({std::move(inv)});
    r["originalUriBaseIds"] = {{kSrcRoot, {{"description", {{"text", "The root of the repository."}}}}}};
    r["automationDetails"] = {{"id", job + "/" + tool + "/"}};
    if (!run.context.server_url.empty() && !run.context.repository.empty() && !run.context.commit.empty()) {
      json vcs{{"repositoryUri", run.context.server_url + "/" + run.context.repository},
               {"revisionId", run.context.commit},
               {"mappedTo", {{"uriBaseId", kSrcRoot}}}};
      if (!run.context.branch.empty()) vcs["branch"] = run.context.branch;
      r["versionControlProvenance"] = json::array({std::move(vcs)});
    }
    r["columnKind"] = "utf16CodeUnits";
    r["results"] = std::move(results);
    runs.push_back(std::move(r));
  }
  json log;
  log["$schema"] = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = std::move(runs);
  return log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace dg::report
