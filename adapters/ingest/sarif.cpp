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
#include "adapters/ingest/json_pieces.hpp"
#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sarif_log.hpp"
#include "adapters/ingest/sarif_resolve.hpp"
#include "adapters/ingest/sarif_tools.hpp"
#include "src/model/fingerprint.hpp"

namespace dg::ingest {

namespace {

// The log's root: its version, and its runs a member at a time (sarif::RunReader).
struct Log : json::ObjectReader {
  Log(const Input& input, std::vector<sarif::Run>& runs) : in(input), run(input, runs) {}
  const Input& in;
  sarif::RunReader run;
  std::string version;
  bool saw_runs = false;
  bool split(std::string_view key) const override { return key == "runs"; }
  ObjectReader* nested(std::string_view key) override { return key == "runs" ? &run : nullptr; }
  void array(std::string_view) override { saw_runs = true; }
  void element(std::string_view, json::od::value v) override { json::read_object(in, v, "run", run); }  // not an object
  void member(std::string_view key, json::od::value v) override {
    if (key == "version") version = json::string(in, v, key);
    else if (key == "runs") (void)json::array(in, v, key);  // not an array: the shape error
  }
};

}  // namespace

ParseResult parse_sarif(const Input& in) {
  // The runs are read while simdjson's parser is alive and resolved into findings once it is
  // gone, so the findings are not made beside what the parser holds.
  std::vector<sarif::Run> runs;
  Log log(in, runs);
  auto parsed = json::parse_json_pieces(in, "SARIF", log, [&](ParsedReport&) {
    if (!log.saw_runs) throw json::JsonError(0, "no \"runs\" array: this is not a SARIF log");
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
  if (!log.version.empty() && !log.version.starts_with("2."))
    out.warnings.push_back(in.name + ": SARIF version " + log.version + " read as 2.1.0; some fields may be missed");
  // After every run is in: one tool's runs share occurrence counters.
  for (auto& step : out.steps) model::assign_fingerprints(step.findings);
  return parsed;
}

}  // namespace dg::ingest
