// hadolint -f json: a flat array of {code, column, file, level, line, message}. Codes are DLxxxx
// (hadolint's own) or SCxxxx (ShellCheck, run on RUN instructions).
#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/model/fingerprint.hpp"

namespace dg::ingest {

namespace {

// hadolint's levels: error, warning, info, style.
model::Severity hadolint_severity(std::string_view level) {
  if (level == "error") return model::Severity::High;
  if (level == "warning") return model::Severity::Medium;
  if (level == "info") return model::Severity::Low;
  if (level == "style") return model::Severity::Info;
  return model::severity_from_word(level);
}

std::string help_uri(std::string_view code) {
  if (code.starts_with("DL")) return "https://github.com/hadolint/hadolint/wiki/" + std::string(code);
  if (code.starts_with("SC")) return "https://www.shellcheck.net/wiki/" + std::string(code);
  return {};
}

}  // namespace

ParseResult parse_hadolint_json(const Input& in) {
  return json::parse_json(in, "hadolint JSON", [&](json::od::value root, ParsedReport& out) {
    out.format = "hadolint-json";
    model::StepResult step;
    step.name = model::step::kLint;
    step.tool = "hadolint";
    for (auto el : json::array(in, root, "(root)")) {
      json::od::value item = el.value();
      model::Finding f;
      f.tool = "hadolint";
      f.kind = model::Kind::Lint;
      for (auto field : json::object(in, item, "finding")) {
        std::string_view key = field.unescaped_key();
        json::od::value v = field.value();
        if (key == "code") f.rule_id = json::string(in, v, key);
        else if (key == "level") f.tool_severity = json::string(in, v, key);
        else if (key == "message") f.title = json::string(in, v, key);
        else if (key == "file") f.location.path = json::string(in, v, key);
        else if (key == "line") f.location.line = static_cast<int>(json::integer(in, v, key));
        else if (key == "column") f.location.column = static_cast<int>(json::integer(in, v, key));
      }
      if (f.rule_id.empty()) throw json::JsonError(json::offset_of(in, item), "a finding has no \"code\"");
      f.severity = hadolint_severity(f.tool_severity);
      f.help_uri = help_uri(f.rule_id);
      f.sources = {"hadolint"};
      step.findings.push_back(std::move(f));
    }
    model::assign_fingerprints(step.findings);
    out.steps.push_back(std::move(step));
  });
}

}  // namespace dg::ingest
