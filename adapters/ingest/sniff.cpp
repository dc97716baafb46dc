#include "adapters/ingest/sniff.hpp"

#include <algorithm>
#include <set>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {
namespace od = simdjson::ondemand;

const std::vector<std::string_view>& known_families() {
  static const std::vector<std::string_view> f{"trivy",    "grype",       "hadolint", "bandit", "sarif",
                                               "dockgate", "codeclimate", "gitlab",   "asff"};
  return f;
}

namespace {

struct Shape {
  char root = 0;                 // '{' or '['
  std::set<std::string> keys;    // top-level keys (object) or keys of the first element (array)
  bool empty_array = false;
  std::string first_string_value_of_type;  // codeclimate "type"
};

// Reads the top-level keys without keeping any value; one On-Demand pass over the structure.
bool json_shape(const Input& in, Shape& shape) {
  auto text = in.text();
  auto pos = text.find_first_not_of(" \t\r\n");
  if (pos == std::string_view::npos) return false;
  shape.root = text[pos];
  if (shape.root != '{' && shape.root != '[') return false;
  // Copy only the head for an array: its first element is enough and the rest may be huge.
  od::parser parser;
  try {
    if (shape.root == '{') {
      od::document doc = parser.iterate(in.padded());
      for (auto field : doc.get_object()) {
        std::string_view k = field.unescaped_key();
        shape.keys.emplace(k);
        if (shape.keys.size() > 64) break;
      }
    } else {
      od::document doc = parser.iterate(in.padded());
      for (auto el : doc.get_array()) {
        od::value v = el.value();
        od::json_type t = v.type();
        if (t == od::json_type::object) {
          for (auto field : v.get_object()) {
            std::string_view k = field.unescaped_key();
            shape.keys.emplace(k);
          }
        }
        return true;
      }
      shape.empty_array = true;
    }
  } catch (const simdjson::simdjson_error&) {
    // Malformed JSON: keep the keys seen so far; the parser will report where it breaks.
  }
  return true;
}

bool has(const Shape& s, std::initializer_list<std::string_view> keys) {
  return std::all_of(keys.begin(), keys.end(), [&](std::string_view k) { return s.keys.count(std::string(k)); });
}

std::string describe_keys(const Shape& s) {
  std::string out;
  int n = 0;
  for (auto& k : s.keys) {
    if (n++ == 8) { out += ", …"; break; }
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out.empty() ? "none" : out;
}

}  // namespace

util::Expected<Format> sniff(const Input& in) {
  auto text = in.text();
  auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return std::unexpected(in.error("the file is empty"));
  std::string_view head = text.substr(start, 4096);

  if (head[0] == '<') {
    std::string lower = util::to_lower(head);
    if (lower.find("<html") != std::string::npos || lower.find("<!doctype html") != std::string::npos) {
      if (lower.find("bandit") != std::string::npos) return Format{"bandit", "bandit-html", parse_bandit_html};
      return std::unexpected(in.error("an HTML page that is not a bandit report"));
    }
    if (lower.find("<testsuite") != std::string::npos)
      return Format{"bandit", "bandit-xml", parse_bandit_xml};
    return std::unexpected(in.error("an XML document dockgate does not know (expected bandit -f xml)"));
  }

  if (head[0] == '{' || head[0] == '[') {
    Shape s;
    json_shape(in, s);
    if (s.root == '{') {
      if (s.keys.count("runs") && (s.keys.count("version") || s.keys.count("$schema")))
        return Format{"sarif", "sarif", parse_sarif};
      if (has(s, {"schema_version", "steps"}) && s.keys.count("dockgate_version"))
        return Format{"dockgate", "dockgate-result", parse_dockgate_json};
      if (s.keys.count("SchemaVersion") || has(s, {"ArtifactName", "Results"}) || s.keys.count("ClusterName") ||
          (s.keys.count("Resources") && s.keys.count("Findings") == 0) ||
          (s.keys.count("Vulnerabilities") && s.keys.count("Misconfigurations")))
        return Format{"trivy", "trivy-json", parse_trivy_json};
      if (s.keys.count("matches") && (s.keys.count("descriptor") || s.keys.count("source") || s.keys.count("distro")))
        return Format{"grype", "grype-json", parse_grype_json};
      if (s.keys.count("results") && (s.keys.count("generated_at") || s.keys.count("metrics")))
        return Format{"bandit", "bandit-json", parse_bandit_json};
      if (s.keys.count("vulnerabilities") && (s.keys.count("scan") || s.keys.count("version")))
        return Format{"gitlab", "gitlab-container-scanning", parse_gitlab_security_json};
      if (s.keys.count("Findings")) return Format{"asff", "asff", parse_asff_json};
      return std::unexpected(in.error("a JSON object that is no report dockgate knows (top-level keys: " +
                                      describe_keys(s) + ")"));
    }
    if (s.root == '[') {
      if (s.empty_array)  // hadolint writes [] for a clean Dockerfile; nothing to misread.
        return Format{"hadolint", "hadolint-json", parse_hadolint_json};
      if (has(s, {"code", "level"}) && (s.keys.count("line") || s.keys.count("file")))
        return Format{"hadolint", "hadolint-json", parse_hadolint_json};
      if (s.keys.count("Target") && (s.keys.count("Vulnerabilities") || s.keys.count("Type")))
        return Format{"trivy", "trivy-json-v1", parse_trivy_json};
      if (s.keys.count("check_name") || (s.keys.count("fingerprint") && s.keys.count("location")))
        return Format{"codeclimate", "codeclimate", parse_codeclimate_json};
      return std::unexpected(in.error("a JSON array whose elements are no report dockgate knows (keys: " +
                                      describe_keys(s) + ")"));
    }
  }

  // Text formats.
  std::string_view first_line = head.substr(0, head.find('\n'));
  if (first_line.starts_with("filename,test_name,test_id,issue_severity"))
    return Format{"bandit", "bandit-csv", parse_bandit_csv};
  if (head.starts_with("Run started:") || head.find("Test results:") != std::string_view::npos)
    return Format{"bandit", "bandit-txt", parse_bandit_txt};
  return std::unexpected(in.error("not a report dockgate recognizes (neither JSON, XML, bandit CSV nor bandit text); "
                                  "it starts with: \"" + util::to_valid_utf8(util::truncate_utf8(first_line, 60)) + "\""));
}

ParseResult parse_input(Input& in, std::string_view family) {
  auto fmt = sniff(in);
  if (!fmt) return std::unexpected(fmt.error());
  if (family != "auto" && family != fmt->family)
    return std::unexpected(in.error("--format " + std::string(family) + " was given, but the file looks like " +
                                    fmt->variant));
  auto parsed = fmt->parse(in);
  if (parsed) {
    for (auto& step : parsed->steps) {
      if (step.inputs.empty()) step.inputs.push_back(in.name);
      if (step.format.empty()) step.format = parsed->format.empty() ? fmt->variant : parsed->format;
    }
    if (parsed->format.empty()) parsed->format = fmt->variant;
  }
  return parsed;
}

ParseResult parse_report(const std::filesystem::path& path, std::string_view family) {
  auto in = load_input(path);
  if (!in) return std::unexpected(in.error());
  return parse_input(*in, family);
}

}  // namespace dg::ingest
