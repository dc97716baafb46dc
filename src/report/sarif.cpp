// SARIF 2.1.0 for GitHub code scanning and Jenkins warnings-ng: one run per tool, because
// GitHub rejects an upload with several runs of the same tool and category. What GitHub does with
// each field is checked against its consumers: github/codeql-action src/upload-lib.ts (category,
// size), src/fingerprints.ts (primaryLocationLineHash), and the docs pages "SARIF support for code
// scanning" (startLine required, %SRCROOT%) and "SARIF results exceed one or more limits".
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <unordered_set>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/line_hash.hpp"
#include "src/report/writers.hpp"
#include "src/util/gzip.hpp"
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

// Every byte outside the unreserved/path set percent-encoded, as a SARIF URI needs.
std::string uri_encode(std::string_view path) {
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
  return out;
}

// A repository-relative URI reference: forward slashes, no leading "./" or "/", and every byte
// outside the unreserved/path set percent-encoded.
std::string relative_uri(std::string path) {
  for (auto& c : path)
    if (c == '\\') c = '/';
  while (path.starts_with("./")) path.erase(0, 2);
  while (path.starts_with("/")) path.erase(0, 1);
  std::string out = uri_encode(path);
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

// Where a result points, and what GitHub needs to show it: a region with startLine on every
// location ("SARIF support for code scanning"; SARIF Multitool SARIF2017), and the line's hash.
struct Pin {
  std::string dockerfile;
  int from_line = 1;
  const std::function<std::optional<std::string>(const std::string&)>* read_source = nullptr;
  std::map<std::string, std::vector<std::string>> hashes;  // by path; empty = unreadable

  const std::string* line_hash(const std::string& path, int line) {
    if (!read_source || !*read_source || line <= 0) return nullptr;
    auto it = hashes.find(path);
    if (it == hashes.end()) {
      auto text = (*read_source)(path);
      it = hashes.emplace(path, text ? line_hashes(*text) : std::vector<std::string>{}).first;
    }
    auto i = static_cast<std::size_t>(line - 1);
    return i < it->second.size() && !it->second[i].empty() ? &it->second[i] : nullptr;
  }
};

// A path outside the source root is kept as the tool wrote it, without %SRCROOT%: GitHub drops
// such results from the files view rather than pointing at a wrong file.
std::string outside_uri(const std::string& path) {
  std::string out = uri_encode(path);
  return path.starts_with("/") ? "file://" + out : out;
}

json physical(const std::string& path, bool outside, int line, int column, int end_line) {
  json loc;
  if (outside) loc["artifactLocation"] = {{"uri", outside_uri(path)}};
  else loc["artifactLocation"] = {{"uri", relative_uri(path)}, {"uriBaseId", kSrcRoot}};
  // A file finding without a line (a lock file, a whole-file rule) is on line 1, where
  // codeql-action's fingerprinting puts it too.
  json region{{"startLine", line > 0 ? line : 1}};
  if (line > 0 && column > 0) region["startColumn"] = column;
  if (line > 0 && end_line >= line) region["endLine"] = end_line;
  loc["region"] = std::move(region);
  return loc;
}

json result_for(const Finding& f, std::size_t rule_index, Pin& pin) {
  json r;
  r["ruleId"] = f.rule_id;
  r["ruleIndex"] = rule_index;
  r["level"] = level(f.severity);
  r["message"] = {{"text", message_text(f)}};
  json location;
  std::string hash_path;
  int hash_line = 0;
  if (!f.location.path.empty()) {
    location["physicalLocation"] =
        physical(f.location.path, f.location.outside_root, f.location.line, f.location.column, f.location.end_line);
    if (!f.location.outside_root) {
      hash_path = f.location.path;
      hash_line = f.location.line > 0 ? f.location.line : 1;
    }
  } else {
    // No file: the image is where the finding lives. GitHub needs a physical location to show
    // a result at all, so it is pinned to the FROM line of the final stage of the Dockerfile
    // that built the image (the target is in the message).
    location["physicalLocation"] = physical(pin.dockerfile, false, pin.from_line, 0, 0);
    hash_path = pin.dockerfile;
    hash_line = pin.from_line;
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
  json fp{{"dockgate/v1", f.fingerprint}};
  // What the upload action would add itself (it keeps an existing value, and warns when its own
  // differs): written here so SARIF uploaded by other means tracks moved lines the same way.
  if (auto* h = pin.line_hash(hash_path, hash_line)) fp["primaryLocationLineHash"] = *h;
  r["partialFingerprints"] = std::move(fp);
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
  if (f.location.outside_root) props["outside-source-root"] = true;
  // Exploit data under the names grype uses, so a SARIF consumer can rank results as we do.
  if (f.risk.epss >= 0) props["epss"] = f.risk.epss;
  if (f.risk.epss_percentile >= 0) props["epss-percentile"] = f.risk.epss_percentile;
  if (!f.risk.epss_date.empty()) props["epss-date"] = f.risk.epss_date;
  if (f.risk.kev) {
    props["known-exploited"] = true;
    if (!f.risk.kev_added.empty()) props["kev-date-added"] = f.risk.kev_added;
    if (!f.risk.kev_due.empty()) props["kev-due-date"] = f.risk.kev_due;
    if (!f.risk.kev_action.empty()) props["kev-required-action"] = one_line(f.risk.kev_action);
    if (!f.risk.kev_ransomware.empty()) props["kev-ransomware"] = one_line(f.risk.kev_ransomware);
  }
  if (f.risk.risk >= 0) props["risk"] = f.risk.risk;
  r["properties"] = std::move(props);
  return r;
}

// Which findings survive a cut: the ones that decide the gate (policy::evaluate's `gating`), then
// worst first (unwaived before waived, then the most severe).
bool keep_before(const Finding* a, const Finding* b) {
  if (a->gating != b->gating) return a->gating;
  return worse(*a, *b);
}

// SARIF Multitool SARIF2005 wants a version that starts with a digit; GitHub shows it as is.
// Scanners that do not say theirs (hadolint and bandit JSON) get an explicit "unknown" one.
void set_version(json& driver, std::string v) {
  if (v.size() > 1 && (v[0] == 'v' || v[0] == 'V') && std::isdigit(static_cast<unsigned char>(v[1]))) v.erase(0, 1);
  if (!v.empty() && std::isdigit(static_cast<unsigned char>(v[0]))) {
    driver["version"] = v;
    return;
  }
  driver["version"] = "0.0.0-unknown";
  if (!v.empty()) driver["properties"] = {{"tool-version", one_line(v)}};
}

struct ToolRun {
  std::string tool;
  std::vector<const model::StepResult*> steps;
  std::vector<const Finding*> findings;  // output order: each step's worst first
};

json render_run(const model::Run& run, const ToolRun& t, std::size_t cap, const std::string& category, Pin& pin,
                std::vector<std::string>& notes) {
  json driver;
  driver["name"] = t.tool;
  std::string version;
  for (auto* s : t.steps)
    if (!s->tool_version.empty()) {
      version = s->tool_version;
      break;
    }
  if (version.empty() && t.tool.starts_with("dockgate")) version = run.dockgate_version;
  set_version(driver, version);
  driver["informationUri"] = information_uri(t.tool);

  std::vector<const Finding*> kept = t.findings;
  if (kept.size() > cap) {
    std::vector<const Finding*> ranked = t.findings;
    std::stable_sort(ranked.begin(), ranked.end(), keep_before);
    std::unordered_set<const Finding*> keep(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(cap));
    kept.clear();
    for (auto* f : t.findings)
      if (keep.contains(f)) kept.push_back(f);
  }

  json rules = json::array(), results = json::array();
  std::map<std::string, std::size_t> rule_index;
  for (auto* f : kept) {
    auto [it, fresh] = rule_index.try_emplace(f->rule_id, rule_index.size());
    if (fresh) rules.push_back(rule_for(*f));  // worst first: a rule takes its worst finding's level
    results.push_back(result_for(*f, it->second, pin));
  }
  json notifications = json::array();
  bool ok = true;
  for (auto* s : t.steps)
    if (s->status == model::StepStatus::Error) {
      ok = false;
      for (auto& e : s->errors) notifications.push_back({{"level", "error"}, {"message", {{"text", one_line(e)}}}});
    }
  driver["rules"] = std::move(rules);
  json r;
  r["tool"] = {{"driver", std::move(driver)}};
  json inv{{"executionSuccessful", ok}};
  if (!notifications.empty()) inv["toolExecutionNotifications"] = std::move(notifications);
  r["invocations"] = json::array({std::move(inv)});
  r["originalUriBaseIds"] = {{kSrcRoot, {{"description", {{"text", "The root of the repository."}}}}}};
  r["automationDetails"] = {{"id", category + "/" + t.tool + "/"}};
  if (!run.context.server_url.empty() && !run.context.repository.empty() && !run.context.commit.empty()) {
    json vcs{{"repositoryUri", run.context.server_url + "/" + run.context.repository},
             {"revisionId", run.context.commit},
             {"mappedTo", {{"uriBaseId", kSrcRoot}}}};
    if (!run.context.branch.empty()) vcs["branch"] = run.context.branch;
    r["versionControlProvenance"] = json::array({std::move(vcs)});
  }
  r["columnKind"] = "utf16CodeUnits";
  r["results"] = std::move(results);
  if (kept.size() < t.findings.size()) {
    std::size_t dropped = t.findings.size() - kept.size();
    std::string why = "GitHub code scanning accepts at most 25,000 results per run and 10 MB of gzipped SARIF per file";
    r["properties"] = {{"dockgate-truncated",
                        {{"results-total", t.findings.size()},
                         {"results-kept", kept.size()},
                         {"results-dropped", dropped},
                         {"kept", "the findings that decide the gate first, then the most severe"},
                         {"reason", why}}}};
    notes.push_back("SARIF: " + t.tool + ": kept " + std::to_string(kept.size()) + " of " +
                    std::to_string(t.findings.size()) + " results (" + why +
                    "); the gating and most severe findings are kept, the full list is in the result JSON");
  }
  return r;
}

}  // namespace

std::string write_sarif(const model::Run& run, const SarifOptions& opt) {
  Pin pin;
  pin.dockerfile = opt.dockerfile.empty() ? dockerfile_path(run) : opt.dockerfile;
  pin.from_line = opt.dockerfile_from_line > 0 ? opt.dockerfile_from_line : 1;
  pin.read_source = &opt.read_source;
  std::string category = one_line(opt.category);
  while (category.ends_with("/")) category.pop_back();
  if (category.empty()) category = run.context.job_name.empty() ? "dockgate" : one_line(run.context.job_name);

  // Steps that share a tool (smoke-test and image-size are both dockgate) share a run.
  std::vector<ToolRun> tools;
  std::map<std::string, std::size_t> by_tool;
  for (auto& s : run.steps) {
    // A skipped or errored step without findings writes no run: an empty run would tell code
    // scanning that every earlier alert of that tool is fixed.
    bool ran = s.status == model::StepStatus::Passed || s.status == model::StepStatus::Failed;
    if (!ran && s.findings.empty()) continue;
    std::string tool = s.tool.empty() ? s.name : s.tool;
    auto [it, fresh] = by_tool.try_emplace(tool, tools.size());
    if (fresh) tools.push_back({tool, {}, {}});
    auto& t = tools[it->second];
    t.steps.push_back(&s);
    for (auto* f : worst_first(s.findings)) t.findings.push_back(f);
  }

  std::vector<std::string> notes;
  if (tools.size() > opt.max_runs) {
    // More tools than GitHub takes runs in one file: keep the tools with the worst findings.
    std::vector<std::size_t> order(tools.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto worst = [&](std::size_t i) { return tools[i].findings.empty() ? nullptr : *std::min_element(tools[i].findings.begin(), tools[i].findings.end(), keep_before); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      auto *x = worst(a), *y = worst(b);
      if (!x || !y) return x != nullptr && y == nullptr;
      return keep_before(x, y);
    });
    std::vector<bool> keep(tools.size(), false);
    for (std::size_t i = 0; i < opt.max_runs; ++i) keep[order[i]] = true;
    std::vector<ToolRun> kept;
    std::string dropped;
    for (std::size_t i = 0; i < tools.size(); ++i) {
      if (keep[i]) kept.push_back(std::move(tools[i]));
      else dropped += (dropped.empty() ? "" : ", ") + tools[i].tool;
    }
    tools = std::move(kept);
    notes.push_back("SARIF: GitHub code scanning accepts at most " + std::to_string(opt.max_runs) +
                    " runs per file; left out the tools with the least severe findings: " + dropped);
  }

  std::size_t cap = opt.max_results_per_run;
  std::string text;
  for (int attempt = 0;; ++attempt) {
    std::vector<std::string> run_notes;
    json runs = json::array();
    for (auto& t : tools) runs.push_back(render_run(run, t, cap, category, pin, run_notes));
    json log;
    log["$schema"] = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    log["version"] = "2.1.0";
    log["runs"] = std::move(runs);
    text = log.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    // gzip adds at most a few bytes per 16 KiB block to incompressible text.
    std::size_t size = text.size();
    if (size + size / 1000 + 64 > opt.max_gzip_bytes)
      if (auto gz = util::gzip_size(text)) size = *gz;
    std::size_t biggest = 0;
    for (auto& t : tools) biggest = std::max(biggest, std::min(cap, t.findings.size()));
    if (size <= opt.max_gzip_bytes || biggest == 0 || attempt == 8) {
      notes.insert(notes.end(), run_notes.begin(), run_notes.end());
      if (size > opt.max_gzip_bytes)
        notes.push_back("SARIF: still " + std::to_string(size) + " bytes gzipped after cutting results; GitHub will reject it");
      break;
    }
    // Scale the per-run cap by how far over the limit the file is, with a margin.
    double scale = static_cast<double>(opt.max_gzip_bytes) / static_cast<double>(size) * 0.9;
    cap = std::min(biggest - 1, static_cast<std::size_t>(static_cast<double>(biggest) * scale));
  }
  if (opt.warnings) opt.warnings->insert(opt.warnings->end(), notes.begin(), notes.end());
  return text;
}

}  // namespace dg::report
