#include "src/report/json_result.hpp"

namespace dg::report {
using nlohmann::json;

static void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
static void put(json& j, const char* key, int v) {
  if (v != 0) j[key] = v;
}

json finding_to_json(const model::Finding& f) {
  json j;
  j["tool"] = f.tool;
  j["rule_id"] = f.rule_id;
  if (!f.aliases.empty()) j["aliases"] = f.aliases;
  j["severity"] = model::to_string(f.severity);
  put(j, "tool_severity", f.tool_severity);
  j["kind"] = model::to_string(f.kind);
  j["title"] = f.title;
  put(j, "message", f.message);
  json loc = json::object();
  put(loc, "path", f.location.path);
  put(loc, "line", f.location.line);
  put(loc, "column", f.location.column);
  put(loc, "end_line", f.location.end_line);
  put(loc, "target", f.location.target);
  put(loc, "layer", f.location.layer);
  put(loc, "snippet", f.location.snippet);
  if (!loc.empty()) j["location"] = std::move(loc);
  json pkg = json::object();
  put(pkg, "name", f.package.name);
  put(pkg, "version", f.package.version);
  put(pkg, "fixed_version", f.package.fixed_version);
  put(pkg, "purl", f.package.purl);
  put(pkg, "type", f.package.type);
  put(pkg, "path", f.package.path);
  if (!pkg.empty()) j["package"] = std::move(pkg);
  put(j, "help_uri", f.help_uri);
  put(j, "confidence", f.confidence);
  if (!f.sources.empty()) j["sources"] = f.sources;
  if (!f.source_severities.empty()) j["source_severities"] = f.source_severities;
  if (f.waiver) {
    json w;
    w["id"] = f.waiver->id;
    w["reason"] = f.waiver->reason;
    put(w, "owner", f.waiver->owner);
    put(w, "expires", f.waiver->expires);
    put(w, "source", f.waiver->source);
    j["waiver"] = std::move(w);
  }
  if (f.baseline != model::BaselineState::None) j["baseline"] = model::to_string(f.baseline);
  j["gating"] = f.gating;
  put(j, "why_not", f.why_not);
  j["fingerprint"] = f.fingerprint;
  return j;
}

json context_to_json(const model::Context& c) {
  json j = json::object();
  put(j, "platform", c.platform);
  put(j, "server_url", c.server_url);
  put(j, "repository", c.repository);
  put(j, "commit", c.commit);
  put(j, "branch", c.branch);
  put(j, "pull_request", c.pull_request);
  put(j, "job_url", c.job_url);
  put(j, "job_name", c.job_name);
  return j;
}

Totals count(const model::Run& run) {
  Totals t;
  for (auto& s : run.steps)
    for (auto& f : s.findings) {
      ++t.total;
      t.gating += f.gating;
      if (f.waiver) {
        ++t.waived;
        continue;
      }
      if (f.baseline == model::BaselineState::New) ++t.new_;
      ++t.by_severity[static_cast<int>(f.severity)];
    }
  return t;
}

static constexpr auto kDump = [](const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
};

std::string write_json(const model::Run& run) {
  std::string out;
  json head;
  head["schema_version"] = run.schema_version;
  head["dockgate_version"] = run.dockgate_version;
  put(head, "started_at", run.started_at);
  put(head, "finished_at", run.finished_at);
  head["context"] = context_to_json(run.context);
  head["verdict"] = model::to_string(run.verdict);
  head["reasons"] = run.reasons;
  Totals t = count(run);
  json sev = json::object();
  for (int s = 5; s >= 0; --s) sev[std::string(model::to_string(static_cast<model::Severity>(s)))] = t.by_severity[s];
  head["summary"] = {{"total", t.total}, {"gating", t.gating}, {"waived", t.waived}, {"new", t.new_},
                     {"fixed", run.fixed.size()}, {"merged_duplicates", run.merged_duplicates}, {"by_severity", sev}};
  if (!run.baseline_incomplete.empty()) {
    head["summary"]["baseline_unknown"] = run.baseline_unknown;
    head["baseline_incomplete"] = run.baseline_incomplete;
  }
  json notices = json::array();
  for (auto& n : run.waiver_notices) {
    json w{{"id", n.id}, {"state", n.state}};
    put(w, "reason", n.reason);
    put(w, "expires", n.expires);
    put(w, "source", n.source);
    notices.push_back(std::move(w));
  }
  head["waiver_notices"] = std::move(notices);
  std::string h = kDump(head);
  h.pop_back();  // reopen the object to stream steps and findings into it
  out += h;
  out += ",\"steps\":[";
  bool first_step = true;
  for (auto& s : run.steps) {
    if (!first_step) out += ',';
    first_step = false;
    json js;
    js["name"] = s.name;
    js["tool"] = s.tool;
    put(js, "tool_version", s.tool_version);
    js["status"] = model::to_string(s.status);
    js["duration_ms"] = s.duration_ms;
    put(js, "format", s.format);
    js["inputs"] = s.inputs;
    js["errors"] = s.errors;
    put(js, "log_excerpt", s.log_excerpt);
    put(js, "command", s.command);
    js["metrics"] = json::object();
    for (auto& [k, v] : s.metrics) js["metrics"][k] = v;
    std::string sh = kDump(js);
    sh.pop_back();
    out += sh;
    out += ",\"findings\":[";
    bool first = true;
    for (auto& f : s.findings) {
      if (!first) out += ',';
      first = false;
      out += '\n';
      out += kDump(finding_to_json(f));
    }
    out += "]}";
  }
  out += "],\"fixed\":[";
  bool first = true;
  for (auto& f : run.fixed) {
    if (!first) out += ',';
    first = false;
    out += kDump(finding_to_json(f));
  }
  out += "]}\n";
  return out;
}

}  // namespace dg::report
