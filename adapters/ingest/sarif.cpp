// SARIF 2.1.0 from any tool. Each run is read in one forward pass, then resolved (its rules may
// follow its results) once the whole log is read; runs of trivy, grype, hadolint and bandit land
// in those steps, any other tool in a step named after it, and several runs of one tool fold into
// one step.
//
// partialFingerprints and fingerprints are not used: dockgate computes its own fingerprint from
// what the finding is about (model/fingerprint.hpp), so a finding keeps the same fingerprint
// whether the tool wrote JSON or SARIF, and baselines made from either format match. Tools'
// fingerprints differ in meaning (grype's primaryLocationLineHash hashes its own synthetic
// location, trivy writes none), so mixing them in would make that promise depend on the tool.
// baselineState is not copied either: dockgate's baseline comes from --baseline.
#include <unordered_map>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sarif_log.hpp"
#include "adapters/ingest/sarif_resolve.hpp"
#include "adapters/ingest/sarif_tools.hpp"
#include "src/model/fingerprint.hpp"

namespace dg::ingest {

ParseResult parse_sarif(const Input& in) {
  // The runs are read while simdjson's parser is alive and resolved into findings once it is
  // gone: its structural index and string buffer grow with the log (35 MB of an 80 MB one), and
  // the findings would otherwise be made beside them.
  std::vector<sarif::Run> runs;
  std::string version;
  auto parsed = json::parse_json(in, "SARIF", [&](json::od::value root, ParsedReport&) {
    bool saw_runs = false;
    for (auto field : json::object(in, root, "(root)")) {
      std::string_view key = json::key(field);
      json::od::value v = field.value();
      if (key == "version") {
        version = json::string(in, v, key);
        continue;
      }
      if (key != "runs") continue;
      saw_runs = true;
      json::od::array array;
      if (!json::optional_array(in, v, "runs", array)) continue;
      for (auto el : array) sarif::read_run(in, el.value(), runs.emplace_back());
    }
    if (!saw_runs) throw json::JsonError(0, "no \"runs\" array: this is not a SARIF log");
  });
  if (!parsed) return parsed;
  ParsedReport& out = *parsed;
  out.format = "sarif";
  std::unordered_map<std::string, std::size_t> step_of;  // step name -> index in out.steps
  for (auto& run : runs) {
    auto profile = sarif::profile_for(run.driver.name);
    auto [it, added] = step_of.emplace(profile.step, out.steps.size());
    if (added) {
      model::StepResult step;
      step.name = profile.step;
      step.tool = profile.tool;
      out.steps.push_back(std::move(step));
    }
    auto& step = out.steps[it->second];
    if (step.tool_version.empty()) step.tool_version = run.driver.version;
    sarif::resolve_run(in, run, profile, step.findings);
    if (run.skipped_empty)
      out.warnings.push_back(in.name + ": " + std::to_string(run.skipped_empty) +
                             " results without a rule or a message were skipped");
    run = sarif::Run{};
  }
  if (!version.empty() && !version.starts_with("2."))
    out.warnings.push_back(in.name + ": SARIF version " + version + " read as 2.1.0; some fields may be missed");
  // After every run is in: one tool's runs share occurrence counters.
  for (auto& step : out.steps) model::assign_fingerprints(step.findings);
  return parsed;
}

}  // namespace dg::ingest
