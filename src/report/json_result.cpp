#include "src/report/json_result.hpp"

#include "src/report/json_out.hpp"
#include "src/report/writers.hpp"

namespace dg::report {
using nlohmann::json;

static void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

// Keys in sorted order, as nlohmann::json writes the envelope: a reader sees one style.
void append_finding_json(std::string& out, const model::Finding& f) {
  JsonObject j(out);
  j.strings_if("aliases", f.aliases);
  if (f.baseline != model::BaselineState::None) j.str("baseline", model::to_string(f.baseline));
  j.str_if("confidence", f.confidence);
  j.str("fingerprint", f.fingerprint);
  j.str_if("fix", f.fix);
  j.boolean("gating", f.gating);
  j.str_if("help_uri", f.help_uri);
  j.str("kind", model::to_string(f.kind));
  {
    auto loc = j.nested("location");
    loc.num_if("column", f.location.column);
    loc.num_if("end_line", f.location.end_line);
    loc.str_if("layer", f.location.layer);
    loc.num_if("line", f.location.line);
    loc.str_if("path", f.location.path);
    loc.str_if("snippet", f.location.snippet);
    loc.str_if("target", f.location.target);
    loc.close();
  }
  j.str_if("message", f.message);
  {
    auto pkg = j.nested("package");
    pkg.str_if("fixed_version", f.package.fixed_version);
    pkg.str_if("name", f.package.name);
    pkg.str_if("path", f.package.path);
    pkg.str_if("purl", f.package.purl);
    pkg.str_if("type", f.package.type);
    pkg.str_if("version", f.package.version);
    pkg.close();
  }
  {
    auto r = j.nested("risk");
    if (f.risk.epss >= 0) r.real("epss", f.risk.epss);
    r.str_if("epss_date", f.risk.epss_date);
    if (f.risk.epss_percentile >= 0) r.real("epss_percentile", f.risk.epss_percentile);
    if (f.risk.kev) r.boolean("kev", true);
    r.str_if("kev_action", f.risk.kev_action);
    r.str_if("kev_added", f.risk.kev_added);
    r.str_if("kev_due", f.risk.kev_due);
    r.str_if("kev_ransomware", f.risk.kev_ransomware);
    if (f.risk.risk >= 0) r.real("score", f.risk.risk);
    r.close();
  }
  j.str("rule_id", f.rule_id);
  j.str("severity", model::to_string(f.severity));
  j.strings_if("source_severities", f.source_severities);
  j.strings_if("sources", f.sources);
  j.str("title", f.title);
  j.str("tool", f.tool);
  j.str_if("tool_severity", f.tool_severity);
  if (f.waiver) {
    auto w = j.nested("waiver");
    w.str_if("expires", f.waiver->expires);
    w.str("id", f.waiver->id);
    w.str_if("owner", f.waiver->owner);
    w.str("reason", f.waiver->reason);
    w.str_if("source", f.waiver->source);
    w.close();
  }
  j.str_if("why_not", f.why_not);
  j.close();
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

void write_json(const model::Run& run, TextSink& sink) {
  std::string out;
  out.reserve(kSinkPiece + (kSinkPiece >> 2));
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
    put(w, "owner", n.owner);
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
      append_finding_json(out, f);
      spill(out, sink);
    }
    out += "]}";
  }
  out += "],\"fixed\":[";
  bool first = true;
  for (auto& f : run.fixed) {
    if (!first) out += ',';
    first = false;
    append_finding_json(out, f);
    spill(out, sink);
  }
  out += "]}\n";
  sink.put(out);
}

std::string write_json(const model::Run& run) {
  StringSink sink;
  write_json(run, sink);
  return std::move(sink.text);
}

}  // namespace dg::report
