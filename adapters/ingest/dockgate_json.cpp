// dockgate's own result JSON (schemas/dockgate-result.schema.json), so a result can be re-gated,
// used as a baseline, and merged. Unknown fields are ignored: a newer dockgate may add some.
#include <algorithm>
#include <iterator>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {
namespace {

using json::od::value;

std::vector<std::string> strings(const Input& in, value v, std::string_view field) {
  std::vector<std::string> out;
  json::od::array a;
  if (json::optional_array(in, v, field, a))
    for (auto el : a) out.push_back(json::string(in, el.value(), field));
  return out;
}

// Read into place (the vector's next element): a returned Finding was moved once more.
void read_finding(const Input& in, value v, model::Finding& f) {
  for (auto field : json::object(in, v, "finding")) {
    std::string_view key = json::key(field);
    value x = field.value();
    if (key == "tool") f.tool = json::string(in, x, key);
    else if (key == "rule_id") f.rule_id = json::string(in, x, key);
    else if (key == "aliases") f.aliases = strings(in, x, key);
    else if (key == "severity") f.severity = model::parse_severity(json::str(in, x, key)).value_or(model::Severity::Unknown);
    else if (key == "tool_severity") f.tool_severity = json::string(in, x, key);
    else if (key == "kind") f.kind = model::parse_kind(json::str(in, x, key));
    else if (key == "title") f.title = json::string(in, x, key);
    else if (key == "message") f.message = json::string(in, x, key);
    else if (key == "help_uri") f.help_uri = json::string(in, x, key);
    else if (key == "fix") f.fix = json::string(in, x, key);
    else if (key == "confidence") f.confidence = json::string(in, x, key);
    else if (key == "sources") f.sources = strings(in, x, key);
    else if (key == "source_severities") f.source_severities = strings(in, x, key);
    else if (key == "fingerprint") f.fingerprint = json::string(in, x, key);
    else if (key == "gating") f.gating = json::boolean(in, x, key);
    else if (key == "why_not") f.why_not = json::string(in, x, key);
    else if (key == "baseline") {
      auto b = json::str(in, x, key);
      f.baseline = b == "new" ? model::BaselineState::New
                   : b == "unchanged" ? model::BaselineState::Unchanged
                   : b == "fixed" ? model::BaselineState::Fixed : model::BaselineState::None;
    } else if (key == "location") {
      for (auto l : json::object(in, x, key)) {
        std::string_view k = json::key(l);
        value y = l.value();
        if (k == "path") f.location.path = json::string(in, y, k);
        else if (k == "line") f.location.line = static_cast<int>(json::integer(in, y, k));
        else if (k == "column") f.location.column = static_cast<int>(json::integer(in, y, k));
        else if (k == "end_line") f.location.end_line = static_cast<int>(json::integer(in, y, k));
        else if (k == "target") f.location.target = json::string(in, y, k);
        else if (k == "layer") f.location.layer = json::string(in, y, k);
        else if (k == "snippet") f.location.snippet = json::string(in, y, k);
      }
    } else if (key == "package") {
      for (auto p : json::object(in, x, key)) {
        std::string_view k = json::key(p);
        value y = p.value();
        if (k == "name") f.package.name = json::string(in, y, k);
        else if (k == "version") f.package.version = json::string(in, y, k);
        else if (k == "fixed_version") f.package.fixed_version = json::string(in, y, k);
        else if (k == "purl") f.package.purl = json::string(in, y, k);
        else if (k == "type") f.package.type = json::string(in, y, k);
        else if (k == "path") f.package.path = json::string(in, y, k);
      }
    } else if (key == "risk") {
      for (auto r : json::object(in, x, key)) {
        std::string_view k = json::key(r);
        value y = r.value();
        if (k == "epss") f.risk.epss = json::number(in, y, k);
        else if (k == "epss_percentile") f.risk.epss_percentile = json::number(in, y, k);
        else if (k == "epss_date") f.risk.epss_date = json::string(in, y, k);
        else if (k == "kev") f.risk.kev = json::boolean(in, y, k);
        else if (k == "kev_added") f.risk.kev_added = json::string(in, y, k);
        else if (k == "kev_due") f.risk.kev_due = json::string(in, y, k);
        else if (k == "kev_action") f.risk.kev_action = json::string(in, y, k);
        else if (k == "kev_ransomware") f.risk.kev_ransomware = json::string(in, y, k);
        else if (k == "score") f.risk.risk = json::number(in, y, k);
      }
    } else if (key == "waiver") {
      if (json::is_null(x)) continue;
      model::Waiver w;
      for (auto p : json::object(in, x, key)) {
        std::string_view k = json::key(p);
        value y = p.value();
        if (k == "id") w.id = json::string(in, y, k);
        else if (k == "reason") w.reason = json::string(in, y, k);
        else if (k == "owner") w.owner = json::string(in, y, k);
        else if (k == "expires") w.expires = json::string(in, y, k);
        else if (k == "source") w.source = json::string(in, y, k);
      }
      f.waiver = std::move(w);
    }
  }
}

model::StepResult read_step(const Input& in, value v) {
  model::StepResult s;
  for (auto field : json::object(in, v, "step")) {
    std::string_view key = json::key(field);
    value x = field.value();
    if (key == "name") s.name = json::string(in, x, key);
    else if (key == "tool") s.tool = json::string(in, x, key);
    else if (key == "tool_version") s.tool_version = json::string(in, x, key);
    else if (key == "status") s.status = model::parse_step_status(json::str(in, x, key));
    else if (key == "duration_ms") s.duration_ms = json::integer(in, x, key);
    else if (key == "format") s.format = json::string(in, x, key);
    else if (key == "inputs") s.inputs = strings(in, x, key);
    else if (key == "errors") s.errors = strings(in, x, key);
    else if (key == "log_excerpt") s.log_excerpt = json::string(in, x, key);
    else if (key == "command") s.command = json::string(in, x, key);
    else if (key == "metrics") {
      for (auto m : json::object(in, x, key)) {
        std::string k(json::key(m));
        s.metrics[k] = json::number(in, m.value(), k);
      }
    } else if (key == "findings") {
      json::od::array a;
      if (json::optional_array(in, x, key, a)) {
        // Reserved from a count (a walk over the structure, rewound after): it costs about what
        // growing the vector did (moving every 800-byte Finding again), but the vector is never
        // twice the findings' size on the way, as it was at each doubling.
        std::size_t n = 0;
        if (!a.count_elements().get(n)) s.findings.reserve(n);
        for (auto el : a) read_finding(in, el.value(), s.findings.emplace_back());
      }
    }
  }
  if (s.name.empty()) throw json::JsonError(0, "a step has no \"name\"");
  return s;
}

}  // namespace

ParseResult parse_dockgate_json(const Input& in) {
  return json::parse_json(in, "dockgate result JSON", [&](value root, ParsedReport& out) {
    out.format = "dockgate-result";
    model::Run run;
    bool has_version = false, has_steps = false;  // with schema_version: what makes a result one
    for (auto field : json::object(in, root, "(root)")) {
      std::string_view key = json::key(field);
      value x = field.value();
      if (key == "schema_version") {
        run.schema_version = json::string(in, x, key);
        if (run.schema_version != "1")
          throw json::JsonError(json::offset_of(in, x), "schema_version " + run.schema_version +
                                                            " is newer than this dockgate understands (1)");
      } else if (key == "dockgate_version") {
        run.dockgate_version = json::string(in, x, key);
        has_version = true;
      }
      else if (key == "started_at") run.started_at = json::string(in, x, key);
      else if (key == "finished_at") run.finished_at = json::string(in, x, key);
      else if (key == "verdict") run.verdict = model::parse_verdict(json::str(in, x, key));
      else if (key == "reasons") run.reasons = strings(in, x, key);
      else if (key == "context") {
        for (auto c : json::object(in, x, key)) {
          std::string_view k = json::key(c);
          static constexpr std::string_view known[] = {"platform", "server_url", "repository", "commit",
                                                       "branch",   "pull_request", "job_url",  "job_name"};
          if (std::find(std::begin(known), std::end(known), k) == std::end(known)) continue;  // newer field
          std::string val = json::string(in, c.value(), k);
          auto& ctx = run.context;
          if (k == "platform") ctx.platform = val;
          else if (k == "server_url") ctx.server_url = val;
          else if (k == "repository") ctx.repository = val;
          else if (k == "commit") ctx.commit = val;
          else if (k == "branch") ctx.branch = val;
          else if (k == "pull_request") ctx.pull_request = val;
          else if (k == "job_url") ctx.job_url = val;
          else if (k == "job_name") ctx.job_name = val;
        }
      } else if (key == "summary") {
        for (auto c : json::object(in, x, key)) {
          std::string_view k = json::key(c);
          if (k == "merged_duplicates")
            run.merged_duplicates = static_cast<std::size_t>(json::integer(in, c.value(), k));
          else if (k == "baseline_unknown")
            run.baseline_unknown = static_cast<std::size_t>(json::integer(in, c.value(), k));
        }
      } else if (key == "waiver_notices") {
        json::od::array a;
        if (json::optional_array(in, x, key, a))
          for (auto el : a) {
            model::WaiverNotice n;
            for (auto c : json::object(in, el.value(), key)) {
              std::string_view k = json::key(c);
              std::string val = json::string(in, c.value(), k);
              if (k == "id") n.id = val;
              else if (k == "state") n.state = val;
              else if (k == "reason") n.reason = val;
              else if (k == "owner") n.owner = val;
              else if (k == "expires") n.expires = val;
              else if (k == "source") n.source = val;
            }
            run.waiver_notices.push_back(std::move(n));
          }
      } else if (key == "baseline_incomplete") {
        run.baseline_incomplete = strings(in, x, key);
      } else if (key == "steps") {
        for (auto el : json::array(in, x, key)) run.steps.push_back(read_step(in, el.value()));
        has_steps = true;
      } else if (key == "fixed") {
        json::od::array a;
        if (json::optional_array(in, x, key, a))
          for (auto el : a) read_finding(in, el.value(), run.fixed.emplace_back());
      }
    }
    // The keys the sniffer recognizes a result by: parse_input reads a file given as `dockgate`
    // (merge, --baseline) without sniffing it first, and an object without them is no result.
    if (run.schema_version.empty() || !has_version || !has_steps)
      throw json::JsonError(0, "not a dockgate result (it needs schema_version, dockgate_version and steps)");
    // The steps travel in out.steps; out.run keeps the rest (context, notices, fixed).
    out.steps = std::move(run.steps);
    run.steps.clear();
    out.run = std::move(run);
  });
}

}  // namespace dg::ingest
