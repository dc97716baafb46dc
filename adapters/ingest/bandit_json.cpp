// bandit -f json: {errors[{filename, reason}], generated_at, metrics, results[]}. Results gained
// col_offset (1.7), issue_cwe {id, link} (1.7.3) and end_col_offset over the years; the per-file
// metrics block is skipped unread.
#include "adapters/ingest/bandit_common.hpp"
#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {

namespace {

namespace od = json::od;

std::string read_cwe(const Input& in, od::value v) {
  od::json_type t = v.type();
  if (t != od::json_type::object) return json::string(in, v, "issue_cwe");
  std::string id;
  for (auto field : v.get_object()) {
    std::string_view key = json::key(field);
    if (key == "id") id = json::string(in, field.value(), "issue_cwe.id");
  }
  return id;
}

int read_last_line(const Input& in, od::value v) {
  int last = 0;
  od::array arr;
  if (!json::optional_array(in, v, "line_range", arr)) return 0;
  for (auto el : arr) last = static_cast<int>(json::integer(in, el.value(), "line_range[]"));
  return last;
}

bandit::Issue read_result(const Input& in, od::value item) {
  bandit::Issue i;
  for (auto field : json::object(in, item, "results[]")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "filename") i.filename = json::string(in, v, key);
    else if (key == "test_id") i.test_id = json::string(in, v, key);
    else if (key == "test_name") i.test_name = json::string(in, v, key);
    else if (key == "issue_severity") i.severity = json::string(in, v, key);
    else if (key == "issue_confidence") i.confidence = json::string(in, v, key);
    else if (key == "issue_text") i.text = json::string(in, v, key);
    else if (key == "more_info") i.more_info = json::string(in, v, key);
    else if (key == "code") i.code = json::string(in, v, key);
    else if (key == "issue_cwe") i.cwe = read_cwe(in, v);
    else if (key == "line_number") i.line = static_cast<int>(json::integer(in, v, key));
    else if (key == "col_offset") i.col_offset = static_cast<int>(json::integer(in, v, key));
    else if (key == "line_range") i.end_line = read_last_line(in, v);
  }
  return i;
}

}  // namespace

ParseResult parse_bandit_json(const Input& in) {
  return json::parse_json(in, "bandit JSON", [&](od::value root, ParsedReport& out) {
    model::StepResult step = bandit::make_step();
    bool seen_results = false;
    for (auto field : json::object(in, root, "(root)")) {
      std::string_view key = json::key(field);
      od::value v = field.value();
      if (key == "results") {
        seen_results = true;
        od::array results;
        if (!json::optional_array(in, v, "results", results)) continue;
        for (auto el : results) {
          od::value item = el.value();
          std::size_t at = json::offset_of(in, item);
          bandit::Issue issue = read_result(in, item);
          if (issue.test_id.empty() && issue.test_name.empty())
            throw json::JsonError(at, "a result has neither \"test_id\" nor \"test_name\"");
          bandit::add_issue(step, std::move(issue));
        }
      } else if (key == "errors") {
        od::array errors;
        if (!json::optional_array(in, v, "errors", errors)) continue;
        for (auto el : errors) {
          std::string filename, reason;
          for (auto ef : json::object(in, el.value(), "errors[]")) {
            std::string_view ek = json::key(ef);
            if (ek == "filename") filename = json::string(in, ef.value(), "errors[].filename");
            else if (ek == "reason") reason = json::string(in, ef.value(), "errors[].reason");
          }
          bandit::add_error(step, filename, reason);
        }
      }
    }
    if (!seen_results) throw json::JsonError(0, "no \"results\" array: not a bandit JSON report");
    out = bandit::finish(std::move(step), "bandit-json", std::move(out.warnings));
  });
}

}  // namespace dg::ingest
