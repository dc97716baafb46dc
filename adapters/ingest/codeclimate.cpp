// Code Climate issues / GitLab Code Quality: a top-level array of
//   {type: "issue", check_name, description, content: "…" | {body}, categories, severity,
//    fingerprint, engine_name?, location: {path, lines: {begin, end}} | {path, positions: {begin:
//    {line, column}, end: …}}}
// GitLab accepts "Issue" as well as "issue"; other types (measurements) are not findings.
// trivy's gitlab-codequality.tpl writes check_name "container_scanning" and packs the
// vulnerability into the description ("CVE - package - version - title"): it is unpacked so the
// finding gates and dedups like any trivy vulnerability.
#include <string>
#include <vector>

#include "adapters/ingest/hadolint_common.hpp"
#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

namespace od = json::od;

constexpr std::size_t kMaxMessageBytes = 1000;

struct Issue {
  model::Finding f;
  std::string_view type, engine, check_name, description;
  bool has_type = false, security = false;
};

// positions.begin / positions.end: {line, column} (or {offset}, which has no line).
void read_position(const Input& in, od::value v, int& line, int* column) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, "position")) {
    std::string_view key = json::key(field);
    if (key == "line") line = static_cast<int>(json::integer(in, field.value(), key));
    else if (key == "column" && column) *column = static_cast<int>(json::integer(in, field.value(), key));
  }
}

void read_range(const Input& in, od::value v, std::string_view what, model::Location& loc, bool positions) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, what)) {
    std::string_view key = json::key(field);
    od::value x = field.value();
    if (positions) {
      if (key == "begin") read_position(in, x, loc.line, &loc.column);
      else if (key == "end") read_position(in, x, loc.end_line, nullptr);
    } else {
      if (key == "begin") loc.line = static_cast<int>(json::integer(in, x, key));
      else if (key == "end") loc.end_line = static_cast<int>(json::integer(in, x, key));
    }
  }
}

void read_location(const Input& in, od::value v, model::Location& loc) {
  if (json::is_null(v)) return;
  for (auto field : json::object(in, v, "location")) {
    std::string_view key = json::key(field);
    od::value x = field.value();
    if (key == "path") loc.path = json::string(in, x, key);
    else if (key == "lines") read_range(in, x, "location.lines", loc, false);
    else if (key == "positions") read_range(in, x, "location.positions", loc, true);
  }
}

// content is {body} in the spec and a bare string in trivy's template.
std::string_view read_content(const Input& in, od::value v) {
  od::json_type t = v.type();
  if (t != od::json_type::object) return json::str(in, v, "content");
  std::string_view body;
  for (auto field : v.get_object()) {
    std::string_view key = json::key(field);
    if (key == "body") body = json::str(in, field.value(), key);
  }
  return body;
}

void read_categories(const Input& in, od::value v, Issue& is) {
  od::array items;
  if (!json::optional_array(in, v, "categories", items)) return;
  for (auto el : items)
    if (util::iequals(json::str(in, el.value(), "categories[]"), "Security")) is.security = true;
}

void read_issue(const Input& in, od::value item, Issue& is) {
  model::Finding& f = is.f;
  for (auto field : json::object(in, item, "issue")) {
    std::string_view key = json::key(field);
    od::value v = field.value();
    if (key == "type") { is.type = json::str(in, v, key); is.has_type = true; }
    else if (key == "check_name") is.check_name = json::str(in, v, key);
    else if (key == "description") is.description = json::str(in, v, key);
    else if (key == "content") f.message = util::truncate_utf8(read_content(in, v), kMaxMessageBytes);
    else if (key == "severity") f.tool_severity = json::string(in, v, key);
    else if (key == "fingerprint") f.fingerprint = json::string(in, v, key);
    else if (key == "engine_name") is.engine = json::str(in, v, key);
    else if (key == "location") read_location(in, v, f.location);
    else if (key == "categories") read_categories(in, v, is);
  }
}

std::vector<std::string_view> split_on(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    auto p = s.find(sep, start);
    parts.push_back(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return parts;
    start = p + sep.size();
  }
}

// trivy's template: vulnerabilities "ID - package - version - title", misconfigurations "ID: title".
bool unpack_trivy(Issue& is) {
  if (is.check_name != "container_scanning") return false;
  model::Finding& f = is.f;
  auto parts = split_on(is.description, " - ");
  if (parts.size() >= 4 && !parts[0].empty() && parts[0].find(' ') == std::string_view::npos) {
    f.kind = model::Kind::Vulnerability;
    f.rule_id = std::string(parts[0]);
    f.package.name = std::string(parts[1]);
    f.package.version = std::string(parts[2]);
    std::string_view title = is.description.substr(parts[0].size() + parts[1].size() + parts[2].size() + 9);
    f.title = std::string(title.empty() ? parts[0] : title);
    f.location.target = std::move(f.location.path);  // the image, not a file
    f.location.path.clear();
    return true;
  }
  auto colon = is.description.find(": ");
  if (colon != std::string_view::npos && colon > 0 && is.description.substr(0, colon).find(' ') == std::string_view::npos) {
    f.kind = model::Kind::Misconfiguration;
    f.rule_id = std::string(is.description.substr(0, colon));
    f.title = std::string(is.description.substr(colon + 2));
    return true;
  }
  return false;
}

void finish_issue(Issue& is) {
  model::Finding& f = is.f;
  if (!unpack_trivy(is)) {
    f.kind = is.security ? model::Kind::Code : model::Kind::Lint;
    f.rule_id = std::string(!is.check_name.empty() ? is.check_name : is.description);
    f.title = std::string(is.description.empty() ? is.check_name : is.description);
  }
  f.title = util::truncate_utf8(f.title, kMaxMessageBytes);
  f.severity = model::severity_from_word(f.tool_severity);
}

}  // namespace

ParseResult parse_codeclimate_json(const Input& in) {
  return json::parse_json(in, "Code Climate JSON", [&](od::value root, ParsedReport& out) {
    out.format = "codeclimate";
    for (auto el : json::array(in, root, "(root)")) {
      Issue is;
      od::value item = el.value();
      std::size_t at = json::offset_of(in, item);
      read_issue(in, item, is);
      if (is.has_type && !util::iequals(is.type, "issue")) continue;
      if (is.check_name.empty() && is.description.empty())
        throw json::JsonError(at, "an issue has neither \"check_name\" nor \"description\"");
      finish_issue(is);
      std::string name = is.engine.empty() ? "codequality" : std::string(is.engine);
      // hadolint -f gitlab_codeclimate names no engine; its DL/SC codes make it the lint step,
      // with hadolint's own levels back (it wrote error/warning/info/style as
      // blocker/major/info/minor).
      if (is.engine.empty() && hadolint::is_code(is.f.rule_id)) {
        name = model::step::kLint;
        auto& w = is.f.tool_severity;
        w = w == "blocker" ? "error" : w == "major" ? "warning" : w == "minor" ? "style" : w;
        is.f.severity = hadolint::severity(w);
        // hadolint's fingerprint hashes the issue's JSON, line included: ours does not move with
        // the line, and matches the one of the same finding read from hadolint -f json.
        is.f.fingerprint.clear();
      }
      model::StepResult* step = nullptr;
      for (auto& s : out.steps)
        if (s.name == name) step = &s;
      if (!step) {
        out.steps.emplace_back();
        step = &out.steps.back();
        step->name = name;
        step->tool = name == model::step::kLint ? "hadolint" : name;
      }
      is.f.tool = step->tool;
      is.f.sources = {step->tool};
      step->findings.push_back(std::move(is.f));
    }
    // An empty report is still a (passing) code-quality step.
    if (out.steps.empty()) {
      out.steps.emplace_back();
      out.steps.back().name = "codequality";
      out.steps.back().tool = "codequality";
    }
    // The report's own fingerprints are kept; only issues without one get ours.
    for (auto& s : out.steps) model::assign_fingerprints(s.findings);
  });
}

}  // namespace dg::ingest
