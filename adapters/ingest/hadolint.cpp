// hadolint -f json: a flat array of {code, column, file, level, line, message}. Codes are DLxxxx
// (hadolint's own) or SCxxxx (ShellCheck, run on RUN instructions). The helpers every hadolint
// format shares (hadolint_common.hpp) live here too.
#include "adapters/ingest/hadolint_common.hpp"
#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/model/fingerprint.hpp"

namespace dg::ingest {

namespace hadolint {

model::Severity severity(std::string_view level) {
  if (level == "error") return model::Severity::High;
  if (level == "warning") return model::Severity::Medium;
  if (level == "info") return model::Severity::Low;
  if (level == "style") return model::Severity::Info;
  return model::severity_from_word(level);
}

bool is_code(std::string_view code) {
  if (code.size() != 6 || !(code.starts_with("DL") || code.starts_with("SC"))) return false;
  for (char c : code.substr(2))
    if (c < '0' || c > '9') return false;
  return true;
}

model::StepResult make_step() {
  model::StepResult step;
  step.name = model::step::kLint;
  step.tool = "hadolint";
  return step;
}

void add(model::StepResult& step, std::string code, std::string level, std::string message, std::string file,
         int line, int column) {
  model::Finding& f = step.findings.emplace_back();
  f.tool = "hadolint";
  f.kind = model::Kind::Lint;
  f.sources = {"hadolint"};
  if (code.starts_with("DL")) f.help_uri = "https://github.com/hadolint/hadolint/wiki/" + code;
  else if (code.starts_with("SC")) f.help_uri = "https://www.shellcheck.net/wiki/" + code;
  f.rule_id = std::move(code);
  f.severity = severity(level);
  f.tool_severity = std::move(level);
  f.title = std::move(message);
  f.location.path = std::move(file);
  f.location.line = line;
  f.location.column = column;
}

}  // namespace hadolint

ParseResult parse_hadolint_json(const Input& in) {
  return json::parse_json(in, "hadolint JSON", [&](json::od::value root, ParsedReport& out) {
    out.format = "hadolint-json";
    model::StepResult step = hadolint::make_step();
    for (auto el : json::array(in, root, "(root)")) {
      json::od::value item = el.value();
      std::string code, level, message, file;
      int line = 0, column = 0;
      for (auto field : json::object(in, item, "finding")) {
        std::string_view key = json::key(field);
        json::od::value v = field.value();
        if (key == "code") code = json::string(in, v, key);
        else if (key == "level") level = json::string(in, v, key);
        else if (key == "message") message = json::string(in, v, key);
        else if (key == "file") file = json::string(in, v, key);
        else if (key == "line") line = static_cast<int>(json::integer(in, v, key));
        else if (key == "column") column = static_cast<int>(json::integer(in, v, key));
      }
      if (code.empty()) throw json::JsonError(json::offset_of(in, item), "a finding has no \"code\"");
      hadolint::add(step, std::move(code), std::move(level), std::move(message), std::move(file), line, column);
    }
    model::assign_fingerprints(step.findings);
    out.steps.push_back(std::move(step));
  });
}

}  // namespace dg::ingest
