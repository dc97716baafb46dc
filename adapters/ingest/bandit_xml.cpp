// bandit -f xml: a JUnit-like <testsuite name="bandit"> with one <testcase classname=FILE
// name=TEST> per issue, whose <error type=SEVERITY message=TEXT more_info=URL> text reads
// "Test ID: B101 Severity: LOW Confidence: HIGH\n[CWE: CWE-703 (link)\n]TEXT\nLocation FILE:LINE".
// Before 1.5 there was no Test ID (the test name stands in) and no more_info. The XML carries
// neither the code nor the files bandit skipped.
#include "adapters/ingest/bandit_common.hpp"
#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/xml.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

// The word after `label` in `text` ("Severity: " -> "LOW").
std::string word_after(std::string_view text, std::string_view label) {
  auto p = text.find(label);
  if (p == std::string_view::npos) return {};
  p += label.size();
  auto end = text.find_first_of(" \t\r\n", p);
  return std::string(text.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p));
}

}  // namespace

ParseResult parse_bandit_xml(const Input& in) {
  ParsedReport out;
  bandit::repair_text(in, out.warnings);
  pugi::xml_document doc;
  auto root = xml::load(in, doc, "bandit XML");
  if (!root) return std::unexpected(root.error());
  pugi::xml_node suite = *root;
  if (std::string_view(suite.name()) != "testsuite")
    return std::unexpected(in.error("bandit XML: the root element is <" + std::string(suite.name()) +
                                    ">, expected <testsuite name=\"bandit\">"));
  if (auto name = std::string_view(suite.attribute("name").value()); !name.empty() && name != "bandit")
    return std::unexpected(in.error("bandit XML: a JUnit test suite named \"" +
                                    util::to_valid_utf8(util::truncate_utf8(name, 60)) +
                                    "\", not a bandit report"));

  model::StepResult step = bandit::make_step();
  for (pugi::xml_node tc : suite.children("testcase")) {
    pugi::xml_node err = tc.child("error");
    if (!err) continue;  // newer bandit writes a NO-ISSUES testcase with <skipped> for a clean run
    std::string_view body = err.text().get();
    bandit::Issue i;
    i.filename = tc.attribute("classname").value();
    i.test_name = tc.attribute("name").value();
    i.test_id = word_after(body, "Test ID: ");
    i.severity = err.attribute("type").value();
    if (i.severity.empty()) i.severity = word_after(body, "Severity: ");
    i.confidence = word_after(body, "Confidence: ");
    i.text = err.attribute("message").value();
    i.more_info = err.attribute("more_info").value();
    i.cwe = xml::line_after(body, "CWE: ");
    // The location is the last line; the file name may itself contain ':'.
    auto loc = body.rfind("Location ");
    if (loc != std::string_view::npos) {
      std::string where = xml::line_after(body.substr(loc), "Location ");
      auto colon = where.rfind(':');
      if (colon != std::string::npos) {
        i.line = bandit::to_int(std::string_view(where).substr(colon + 1));
        if (i.filename.empty()) i.filename = where.substr(0, colon);
      }
    }
    if (i.filename.empty() || (i.test_id.empty() && i.test_name.empty())) {
      return std::unexpected(xml::error_at(in, tc, "bandit XML: a <testcase> without classname or name"));
    }
    bandit::add_issue(step, std::move(i));
  }
  return bandit::finish(std::move(step), "bandit-xml", std::move(out.warnings));
}

}  // namespace dg::ingest
