// trivy -f json in all its shapes:
//  - schema v2: {SchemaVersion: 2, ArtifactName, ArtifactType, Metadata, Results: [...], Trivy?}
//  - legacy (before 0.20): a top-level array of Results;
//  - Kubernetes: {ClusterName, Vulnerabilities: [resource], Misconfigurations: [resource]} (0.2x-0.4x)
//    or {ClusterName, Resources: [resource]}, a resource being {Namespace, Kind, Name, Results}.
// Reports of large images reach hundreds of MB: read a finding at a time (json_pieces.hpp), one
// forward pass, nothing kept but the model.
#include <iterator>
#include <memory>
#include <string>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/trivy_result.hpp"
#include "src/model/fingerprint.hpp"

namespace dg::ingest {

namespace {

namespace od = json::od;

// The root object of schema v2 and of Kubernetes reports, a member at a time: Results[] a
// Result at a time, each Result's findings one at a time (trivy::ResultReader); a Kubernetes
// report's resources one at a time, each whole.
struct Reader : json::ObjectReader {
  explicit Reader(const Input& input) : in(input), result(input, step.findings, lang_pkgs) {
    step.name = model::step::kTrivy;
    step.tool = "trivy";
    // Forks reserve as much: only the pages a vector fills are memory.
    step.findings.reserve(json::expected_findings(in.text()));
  }
  const Input& in;
  std::string format;
  std::vector<std::string> warnings;  // after the parse's own (a repaired byte comes first)
  model::StepResult step;
  std::vector<std::size_t> lang_pkgs;  // vulnerabilities found in a lock file (see finish())
  trivy::ResultReader result;
  std::string artifact_type;
  std::int64_t schema = 0;
  bool kubernetes = false;

  static bool resources_key(std::string_view key) {
    return key == "Resources" || key == "Vulnerabilities" || key == "Misconfigurations";
  }
  bool split(std::string_view key) const override { return key == "Results" || resources_key(key); }
  ObjectReader* nested(std::string_view key) override { return key == "Results" ? &result : nullptr; }
  void array(std::string_view key) override { kubernetes |= resources_key(key); }
  void element(std::string_view key, od::value v) override {
    if (key == "Results") trivy::read_result(in, v, step.findings, lang_pkgs);  // not an object: its error
    else resource(v);
  }
  void member(std::string_view key, od::value v) override {
    if (split(key)) (void)json::array(in, v, key);  // not an array: the shape error
    else if (key == "SchemaVersion") schema = json::integer(in, v, key);
    else if (key == "ArtifactType") artifact_type = json::string(in, v, key);
    else if (key == "Trivy") tool(v);
    else if (key == "ClusterName") kubernetes = true;
  }
  // Results (or resources) a run at a time on other threads (json_pieces.hpp).
  bool forks(std::string_view) const override { return true; }
  std::unique_ptr<ObjectReader> fork(std::string_view) override { return std::make_unique<Reader>(in); }
  void join(std::string_view, ObjectReader& forked) override {
    auto& run = static_cast<Reader&>(forked);
    const std::size_t base = step.findings.size();
    step.findings.insert(step.findings.end(), std::make_move_iterator(run.step.findings.begin()),
                         std::make_move_iterator(run.step.findings.end()));
    for (auto i : run.lang_pkgs) lang_pkgs.push_back(base + i);
    for (auto& w : run.warnings) warnings.push_back(std::move(w));
  }
  void end() override {
    format = kubernetes ? "trivy-json-k8s" : "trivy-json-v2";
    if (schema > 2)
      warnings.push_back(in.name + ": trivy SchemaVersion " + std::to_string(schema) +
                                " is newer than dockgate knows (2); read as version 2");
  }

  void results(od::value v) {
    od::array items;
    if (!json::optional_array(in, v, "Results", items)) return;
    for (auto el : items) trivy::read_result(in, el.value(), step.findings, lang_pkgs);
  }

  // {Namespace, Kind, Name, Results, Error?}: the resource prefixes the target of its findings.
  void resource(od::value v) {
    const std::size_t first = step.findings.size();
    std::string_view ns, kind, name, error;
    for (auto field : json::object(in, v, "resource")) {
      std::string_view key = json::key(field);
      od::value x = field.value();
      if (key == "Results") results(x);
      else if (key == "Namespace") ns = json::str(in, x, key);
      else if (key == "Kind") kind = json::str(in, x, key);
      else if (key == "Name") name = json::str(in, x, key);
      else if (key == "Error") error = json::str(in, x, key);
    }
    std::string id;
    for (auto part : {ns, kind, name}) {
      if (part.empty()) continue;
      if (!id.empty()) id += '/';
      id += part;
    }
    if (!error.empty())
      warnings.push_back(in.name + ": trivy could not scan " + (id.empty() ? "a resource" : id) + ": " +
                                std::string(error));
    if (id.empty()) return;
    for (std::size_t i = first; i < step.findings.size(); ++i) {
      auto& target = step.findings[i].location.target;
      target = target.empty() ? id : id + ": " + target;
    }
  }

  void tool(od::value v) {
    if (json::is_null(v)) return;
    for (auto field : json::object(in, v, "Trivy")) {
      std::string_view key = json::key(field);
      if (key == "Version") step.tool_version = json::string(in, field.value(), key);
    }
  }
  // A repository or filesystem scan names lock files by their path in the checkout: that path is
  // where a code-quality or SARIF report can point. In an image the target is no checkout file.
  void finish(ParsedReport& out) {
    out.format = format;
    for (auto& w : warnings) out.warnings.push_back(std::move(w));
    if (artifact_type == "repository" || artifact_type == "filesystem")
      for (auto i : lang_pkgs) step.findings[i].location.path = step.findings[i].location.target;
    model::assign_fingerprints(step.findings);
    out.steps.push_back(std::move(step));
  }
};

}  // namespace

ParseResult parse_trivy_json(const Input& in) {
  // Old trivy (before 0.20) writes the JSON null for a clean scan: a complete report with nothing
  // in it. On-Demand cannot iterate a scalar document, so it is recognized here.
  auto text = in.text();
  if (auto a = text.find_first_not_of(" \t\r\n"); a != std::string_view::npos &&
                                                     text.substr(a, text.find_last_not_of(" \t\r\n") - a + 1) == "null") {
    ParsedReport out;
    out.format = "trivy-json-v1";
    model::StepResult step;
    step.name = model::step::kTrivy;
    step.tool = "trivy";
    out.steps.push_back(std::move(step));
    return out;
  }
  // Before 0.20, a top-level array of Results: read whole.
  if (auto a = text.find_first_not_of(" \t\r\n"); a != std::string_view::npos && text[a] == '[') {
    return json::parse_json(in, "trivy JSON", [&](od::value root, ParsedReport& out) {
      Reader r(in);
      r.format = "trivy-json-v1";
      for (auto el : json::array(in, root, "(root)")) trivy::read_result(in, el.value(), r.step.findings, r.lang_pkgs);
      r.finish(out);
    });
  }
  Reader r(in);
  return json::parse_json_pieces(in, "trivy JSON", r, [&](ParsedReport& out) { r.finish(out); });
}

}  // namespace dg::ingest
