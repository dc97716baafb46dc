// hadolint's two XML formats.
//  -f checkstyle: <checkstyle version="4.3"><file name=F><error line column severity message
//     source=CODE/></file></checkstyle>. Checkstyle is shared by many linters: an error whose
//     source is no hadolint code goes to a step named after the file's tool ("checkstyle").
//  -f junit (2.12+): <testsuites><testsuite id="hadolint" name="Hadolint 2.12"> with one
//     <testcase id="hadolint.rule.CODE"><failure type=LEVEL message=TEXT id=CODE>"File: F\nLine: N
//     …"</failure>; a parse error is <testcase name="DL1000"> with "Line:" and "Column:" lines.
#include "adapters/ingest/bandit_common.hpp"
#include "adapters/ingest/hadolint_common.hpp"
#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/xml.hpp"
#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

// "Line: 12" in a failure's text -> 12.
int number_after(std::string_view body, std::string_view label) {
  return bandit::to_int(xml::line_after(body, label));
}

}  // namespace

ParseResult parse_checkstyle(const Input& in) {
  pugi::xml_document doc;
  auto root = xml::load(in, doc, "checkstyle XML");
  if (!root) return std::unexpected(root.error());
  if (std::string_view(root->name()) != "checkstyle")
    return std::unexpected(in.error("checkstyle XML: the root element is <" + std::string(root->name()) +
                                    ">, expected <checkstyle>"));
  ParsedReport out;
  out.format = "checkstyle";
  model::StepResult lint = hadolint::make_step();
  model::StepResult other;
  other.name = other.tool = "checkstyle";
  for (pugi::xml_node file : root->children("file")) {
    std::string path = file.attribute("name").value();
    for (pugi::xml_node e : file.children("error")) {
      std::string source = e.attribute("source").value();
      std::string level = e.attribute("severity").value();
      std::string message = e.attribute("message").value();
      int line = e.attribute("line").as_int(), column = e.attribute("column").as_int();
      if (hadolint::is_code(source)) {
        hadolint::add(lint, std::move(source), std::move(level), std::move(message), path, line, column);
        continue;
      }
      model::Finding& f = other.findings.emplace_back();
      f.tool = "checkstyle";
      f.sources = {"checkstyle"};
      f.kind = model::Kind::Lint;
      f.rule_id = source.empty() ? "checkstyle" : source;
      f.tool_severity = level;
      f.severity = model::severity_from_word(level == "ignore" ? "info" : level);
      f.title = message.empty() ? f.rule_id : message;
      f.location.path = path;
      f.location.line = line;
      f.location.column = column;
    }
  }
  // A clean checkstyle report says nothing of its tool; it is most likely hadolint's here.
  if (!lint.findings.empty() || other.findings.empty()) {
    model::assign_fingerprints(lint.findings);
    out.steps.push_back(std::move(lint));
  }
  if (!other.findings.empty()) {
    model::assign_fingerprints(other.findings);
    out.steps.push_back(std::move(other));
  }
  return out;
}

ParseResult parse_hadolint_junit(const Input& in) {
  pugi::xml_document doc;
  auto root = xml::load(in, doc, "hadolint JUnit");
  if (!root) return std::unexpected(root.error());
  if (std::string_view(root->name()) != "testsuites")
    return std::unexpected(in.error("hadolint JUnit: the root element is <" + std::string(root->name()) +
                                    ">, expected <testsuites>"));
  ParsedReport out;
  out.format = "hadolint-junit";
  model::StepResult step = hadolint::make_step();
  for (pugi::xml_node suite : root->children("testsuite")) {
    for (pugi::xml_node tc : suite.children("testcase")) {
      pugi::xml_node failure = tc.child("failure");
      if (!failure) continue;
      std::string_view body = failure.text().get();
      std::string code = failure.attribute("id").value();
      if (code.empty()) code = tc.attribute("name").value();  // DL1000, the parse error
      if (code.empty()) {
        std::string id = tc.attribute("id").value();
        if (auto dot = id.rfind('.'); dot != std::string::npos) code = id.substr(dot + 1);
      }
      if (code.empty()) {
        return std::unexpected(xml::error_at(in, tc, "hadolint JUnit: a failed <testcase> names no rule"));
      }
      std::string level = failure.attribute("type").value();
      std::string message = failure.attribute("message").value();
      std::string file = xml::line_after(body, "File: ");
      if (file.empty()) file = xml::line_after(body, "Parse Error in ");
      hadolint::add(step, std::move(code), std::move(level), std::move(message), std::move(file),
                    number_after(body, "Line: "), number_after(body, "Column: "));
    }
  }
  model::assign_fingerprints(step.findings);
  out.steps.push_back(std::move(step));
  return out;
}

}  // namespace dg::ingest
