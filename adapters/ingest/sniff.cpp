#include "adapters/ingest/sniff.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <set>

#include "adapters/ingest/json.hpp"
#include "adapters/ingest/json_scan.hpp"
#include "adapters/ingest/parsers.hpp"
#include "adapters/ingest/sarif_tools.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {
namespace od = simdjson::ondemand;

const std::vector<std::string_view>& known_families() {
  static const std::vector<std::string_view> f{"trivy",    "grype",       "hadolint", "bandit", "sarif",
                                               "dockgate", "codeclimate", "gitlab",   "asff"};
  return f;
}

namespace {

// Recognition reads the keys of a prefix of this size first; reports put the keys that tell
// them apart at the top, and indexing 500 MB twice (once here, once in the parser) is not free.
// A short prefix first: copying and indexing a whole MiB was 5 % of reading a 100 MB report.
constexpr std::size_t kSniffPrefix = 1 << 20;
constexpr std::size_t kShortPrefix = 64 << 10;

struct Shape {
  char root = 0;                 // '{' or '['
  std::set<std::string> keys;    // top-level keys (object) or keys of the first element (array)
  bool empty_array = false;
  bool first_is_object = false;  // array: the first element is an object
  std::string sarif_driver;      // SARIF: runs[0].tool.driver.name
  std::set<std::string> match_keys;  // grype: keys of matches[0] (its other keys come after matches)
  std::set<std::string> vuln_keys;   // keys of vulnerabilities[0]: a CycloneDX VEX has analysis there
};

// The keys of the first element of an array of objects (error codes: see read_sarif_driver).
void first_element_keys(od::value v, std::set<std::string>& into) {
  od::array arr;
  if (v.get_array().get(arr)) return;
  for (auto el_r : arr) {
    od::object obj;
    if (el_r.get_object().get(obj)) return;
    for (auto f : obj) {
      std::string_view k;
      if (f.unescaped_key().get(k)) return;
      into.emplace(k);
    }
    return;
  }
}

// runs[0].tool.driver.name (or runs[0].tool.name in SARIF 1.0). Error codes, not exceptions: a
// run of an unexpected shape is skipped by the caller's iteration and the keys after it count.
void read_sarif_driver(od::value runs, Shape& shape) {
  od::array arr;
  if (runs.get_array().get(arr)) return;
  for (auto run_r : arr) {
    od::object run;
    if (run_r.get_object().get(run)) return;
    for (auto f : run) {
      std::string_view key;
      if (f.unescaped_key().get(key)) return;
      if (key != "tool") continue;
      od::object tool;
      if (f.value().get_object().get(tool)) return;
      for (auto t : tool) {
        std::string_view tk, name;
        if (t.unescaped_key().get(tk)) return;
        if (tk == "name" && shape.sarif_driver.empty() && !t.value().get_string().get(name))
          shape.sarif_driver = std::string(name);
        if (tk != "driver") continue;
        od::object driver;
        if (t.value().get_object().get(driver)) return;
        for (auto d : driver) {
          std::string_view dk;
          if (d.unescaped_key().get(dk)) return;
          if (dk == "name" && !d.value().get_string().get(name)) shape.sarif_driver = std::string(name);
        }
      }
      return;
    }
    return;
  }
}

// Reads the top-level keys without keeping any value; one On-Demand pass over the structure of
// `padded` (a whole document or a closed prefix of one: errors only end the reading early).
void json_shape(simdjson::padded_string_view padded, Shape& shape) {
  std::string_view text(padded.data(), padded.size());
  auto pos = text.find_first_not_of(" \t\r\n");
  if (pos == std::string_view::npos) return;
  shape.root = text[pos];
  if (shape.root != '{' && shape.root != '[') return;
  od::parser parser;
  try {
    od::document doc = parser.iterate(padded);
    if (shape.root == '{') {
      for (auto field : doc.get_object()) {
        std::string_view k = field.unescaped_key();
        shape.keys.emplace(k);
        if (k == "runs") read_sarif_driver(field.value(), shape);
        else if (k == "matches") first_element_keys(field.value(), shape.match_keys);
        else if (k == "vulnerabilities") first_element_keys(field.value(), shape.vuln_keys);
        if (shape.keys.size() > 64) break;
      }
    } else {
      for (auto el : doc.get_array()) {
        od::value v = el.value();
        if (v.type() == od::json_type::object) {
          shape.first_is_object = true;
          for (auto field : v.get_object()) {
            std::string_view k = field.unescaped_key();
            shape.keys.emplace(k);
          }
        }
        return;
      }
      shape.empty_array = true;
    }
  } catch (const simdjson::simdjson_error&) {
    // Malformed or cut JSON: keep the keys seen so far; the parser will report where it breaks.
    return;
  }
}

bool has(const Shape& s, std::initializer_list<std::string_view> keys) {
  return std::all_of(keys.begin(), keys.end(), [&](std::string_view k) { return s.keys.count(std::string(k)); });
}

std::string describe_keys(const Shape& s) {
  std::string out;
  int n = 0;
  for (auto& k : s.keys) {
    if (n++ == 8) {
      out += ", …";
      break;
    }
    if (!out.empty()) out += ", ";
    out += util::truncate_utf8(k, 40);
  }
  return out.empty() ? "none" : out;
}

// The family of the tool that wrote a SARIF log, so `--format trivy` accepts trivy's SARIF.
std::string sarif_tool_family(const std::string& driver) {
  if (driver.empty()) return {};
  switch (sarif::profile_for(driver).family) {
    case sarif::Family::Trivy: return "trivy";
    case sarif::Family::Grype: return "grype";
    case sarif::Family::Hadolint: return "hadolint";
    case sarif::Family::Bandit: return "bandit";
    default: return {};
  }
}

// VEX documents and BOMs state things about vulnerabilities but are no scanner report. A CycloneDX
// VEX has `vulnerabilities` and `version` like GitLab's container scanning report, so this is asked
// before the reports are: a VEX given as a report must say where it belongs, not fail the gate.
std::optional<std::string> not_a_report(const Shape& s) {
  if (s.keys.count("bomFormat") && s.keys.count("specVersion")) {
    if (s.vuln_keys.count("analysis"))
      return std::string("a CycloneDX VEX document, not a scanner report: this is a VEX document, pass it with --vex");
    if (s.keys.count("vulnerabilities"))
      return std::string("a CycloneDX BOM with vulnerabilities but no analysis: dockgate does not read CycloneDX as a "
                         "report (a VEX document, with analysis, goes to --vex)");
    return std::string("a CycloneDX SBOM, not a scanner report (a CycloneDX VEX document goes to --vex)");
  }
  if (s.keys.count("statements") && (s.keys.count("@context") || s.keys.count("author")))
    return std::string("an OpenVEX document, not a scanner report: this is a VEX document, pass it with --vex");
  return std::nullopt;
}

std::optional<Format> classify_object(const Shape& s) {
  if (s.keys.count("runs") && (s.keys.count("version") || s.keys.count("$schema")))
    return Format{"sarif", "sarif", parse_sarif, sarif_tool_family(s.sarif_driver)};
  if (has(s, {"schema_version", "steps"}) && s.keys.count("dockgate_version"))
    return Format{"dockgate", "dockgate-result", parse_dockgate_json};
  if (s.keys.count("ClusterName") || (s.keys.count("Resources") && s.keys.count("Findings") == 0 &&
                                      s.keys.count("SchemaVersion") == 0))
    return Format{"trivy", "trivy-json-k8s", parse_trivy_json};
  if (s.keys.count("SchemaVersion") || has(s, {"ArtifactName", "Results"}) ||
      (s.keys.count("Vulnerabilities") && s.keys.count("Misconfigurations")))
    return Format{"trivy", "trivy-json-v2", parse_trivy_json};
  if (s.keys.count("matches") && (s.keys.count("descriptor") || s.keys.count("source") || s.keys.count("distro") ||
                                  (s.match_keys.count("vulnerability") && s.match_keys.count("artifact"))))
    return Format{"grype", "grype-json", parse_grype_json};
  if (s.keys.count("results") && (s.keys.count("generated_at") || s.keys.count("metrics")))
    return Format{"bandit", "bandit-json", parse_bandit_json};
  if (s.keys.count("vulnerabilities") && (s.keys.count("scan") || s.keys.count("version")))
    return Format{"gitlab", "gitlab-container-scanning", parse_gitlab_security_json};
  if (s.keys.count("Findings")) return Format{"asff", "asff", parse_asff_json};
  return std::nullopt;
}

std::optional<Format> classify_array(const Shape& s) {
  if (s.empty_array)  // hadolint writes [] for a clean Dockerfile; nothing to misread.
    return Format{"hadolint", "hadolint-json", parse_hadolint_json};
  if (has(s, {"code", "level"}) && (s.keys.count("line") || s.keys.count("file")))
    return Format{"hadolint", "hadolint-json", parse_hadolint_json};
  if (s.keys.count("Target") && (s.keys.count("Vulnerabilities") || s.keys.count("Type")))
    return Format{"trivy", "trivy-json-v1", parse_trivy_json};
  if (s.keys.count("check_name") || (s.keys.count("fingerprint") && s.keys.count("location")))
    return Format{"codeclimate", "codeclimate", parse_codeclimate_json};
  // trivy's asff.tpl before 0.20 wrote the findings as a bare array.
  if (s.keys.count("ProductArn") && (s.keys.count("GeneratorId") || s.keys.count("AwsAccountId")))
    return Format{"asff", "asff", parse_asff_json};
  return std::nullopt;
}

// Control characters and invalid UTF-8 of an unknown file must not reach the user's terminal.
std::string printable(std::string_view s) {
  std::string out = util::to_valid_utf8(util::truncate_utf8(s, 60));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace

// The first `want` bytes of `text`, cut outside any JSON string (an unclosed string is the one
// thing simdjson's first stage refuses) and with the arrays and objects still open there closed:
// On-Demand refuses a document that ends early, and a big report always does at the cut. What the
// cut breaks (a key without its value) only ends the key reading there. A truncated report may
// end inside a string too, so the whole text goes through here as well.
//
// One pass, constant work per byte: the stack of closers changes only outside strings, so the
// stack at the last byte outside a string is the stack at the end (no copy per byte). Nesting
// deeper than kMaxJsonDepth stops the reading there and reports where.
std::string closed_prefix(std::string_view text, std::size_t want, std::size_t* too_deep_at) {
  want = std::min(want, text.size());
  bool in_string = false;
  std::size_t last_ok = 0;
  std::string open;  // the closers owed, innermost last
  for (std::size_t i = 0; i < want; ++i) {
    char c = text[i];
    if (in_string) {
      i = json::closing_quote(text.substr(0, want), i);
      if (i == json::kNoClose) break;
      in_string = false;
      last_ok = i + 1;
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c == '{' || c == '[') {
      if (open.size() >= kMaxJsonDepth) {
        if (too_deep_at) *too_deep_at = i;
        break;
      }
      open += c == '{' ? '}' : ']';
    } else if ((c == '}' || c == ']') && !open.empty()) {
      open.pop_back();
    }
    last_ok = i + 1;
  }
  std::string out(text.substr(0, last_ok));
  out.append(open.rbegin(), open.rend());
  return out;
}

static bool looks_like_json(std::string_view text) {
  auto a = text.find_first_not_of(" \t\r\n");
  return a != std::string_view::npos && (text[a] == '{' || text[a] == '[');
}

// The first `n` bytes are valid UTF-8, cut back to a character boundary.
static bool valid_utf8_prefix(std::string_view text, std::size_t n) {
  if (text.size() > n) {
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
  }
  return simdjson::validate_utf8(text.data(), text.size());
}

// The whole document is the JSON literal null (white space aside).
static bool is_json_null(std::string_view text) {
  auto a = text.find_first_not_of(" \t\r\n");
  auto b = text.find_last_not_of(" \t\r\n");
  return a != std::string_view::npos && text.substr(a, b - a + 1) == "null";
}

util::Expected<Format> sniff(Input& in) {
  auto text = in.text();
  auto start = text.find_first_not_of(" \t\r\n");
  if (text.empty()) return std::unexpected(in.error_at(0, "the file is empty"));
  if (start == std::string_view::npos)
    return std::unexpected(in.error_at(text.size(), "the file is empty (only white space)"));
  std::string_view head = text.substr(start, 4096);
  if (head.find('\0') != std::string_view::npos)
    return std::unexpected(in.error_at(start + head.find('\0'), "a binary file (it contains NUL bytes), not a report"));
  if (is_json_null(text))  // old trivy writes it for a clean scan; any tool could write it
    return std::unexpected(in.error_at(start, "JSON `null`: cannot tell which tool wrote it; pass --format "
                                              "(trivy before 0.20 writes null for a clean scan)"));

  if (head[0] == '<') {
    std::string lower = util::to_lower(head);
    if (lower.find("<html") != std::string::npos || lower.find("<!doctype html") != std::string::npos) {
      if (lower.find("bandit") != std::string::npos) return Format{"bandit", "bandit-html", parse_bandit_html};
      return std::unexpected(in.error_at(start, "an HTML page that is not a bandit report"));
    }
    if (lower.find("<checkstyle") != std::string::npos) return Format{"hadolint", "checkstyle", parse_checkstyle};
    if (lower.find("<testsuites") != std::string::npos && lower.find("hadolint") != std::string::npos)
      return Format{"hadolint", "hadolint-junit", parse_hadolint_junit};
    // Both are JUnit: trivy's template opens <testsuites name="trivy"> and names each testcase
    // "[SEVERITY] ID"; bandit writes one <testsuite name="bandit">.
    if (lower.find("<testsuites name=\"trivy\"") != std::string::npos ||
        (lower.find("<testsuites") != std::string::npos &&
         std::regex_search(lower, std::regex(R"(<testcase [^>]*name="\[(unknown|low|medium|high|critical)\] )"))))
      return Format{"trivy", "trivy-junit", parse_trivy_junit};
    if (lower.find("<testsuite") != std::string::npos)
      return Format{"bandit", "bandit-xml", parse_bandit_xml};
    return std::unexpected(in.error_at(start, "an XML document dockgate does not know (expected bandit -f xml, "
                                              "hadolint -f junit or checkstyle, or trivy's JUnit template)"));
  }

  if (head[0] == '{' || head[0] == '[') {
    // The shape of the first `prefix` bytes; where they nest too deep (npos: nowhere).
    auto prefix_shape = [&](std::size_t prefix, Shape& s) {
      std::size_t too_deep = std::string_view::npos;
      json_shape(simdjson::padded_string(closed_prefix(text, prefix, &too_deep)), s);
      return too_deep;
    };
    auto classify = [](const Shape& s) { return s.root == '{' ? classify_object(s) : classify_array(s); };
    // What the short prefix recognizes is what the long one would: only a report found, with
    // nothing that says it is no report, is taken from it (the long one words what is wrong).
    if (text.size() > kShortPrefix) {
      Shape s;
      if (prefix_shape(kShortPrefix, s) == std::string_view::npos && !(s.root == '{' && not_a_report(s)))
        if (auto found = classify(s)) return *found;
    }
    Shape s;
    std::size_t too_deep = prefix_shape(kSniffPrefix, s);
    if (too_deep != std::string_view::npos)
      return std::unexpected(in.error_at(too_deep, "JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                                       " levels (no report nests that deep; the limit keeps "
                                                       "reading bounded)"));
    if (s.root == '{')
      if (auto why = not_a_report(s)) return std::unexpected(in.error_at(start, *why));
    auto found = classify(s);
    if (!found && text.size() > kSniffPrefix) {  // the telling keys may come after the prefix
      s = Shape{};
      in.check_utf8();  // simdjson's first stage over all of it needs valid UTF-8
      json_shape(in.padded(), s);  // the input is padded already: no copy of a big report
      found = classify(s);
    }
    if (found) return *found;
    if (s.root == '{')
      return std::unexpected(in.error_at(start, "a JSON object that is no report dockgate knows (top-level keys: " +
                                                    describe_keys(s) + ")"));
    if (!s.first_is_object && s.keys.empty())
      return std::unexpected(
          in.error_at(start, "a JSON array whose first element is not an object: no report dockgate knows"));
    return std::unexpected(in.error_at(start, "a JSON array whose elements are no report dockgate knows (keys: " +
                                                  describe_keys(s) + ")"));
  }

  // Text formats.
  std::string_view first_line = head.substr(0, head.find('\n'));
  if (first_line.starts_with("filename,test_name,test_id,issue_severity"))
    return Format{"bandit", "bandit-csv", parse_bandit_csv};
  if (head.starts_with("Run started:") || head.find("Test results:") != std::string_view::npos)
    return Format{"bandit", "bandit-txt", parse_bandit_txt};
  // PyYAML sorts the keys: errors, generated_at, metrics, results.
  if ((head.starts_with("errors:") || head.starts_with("generated_at:")) &&
      (head.starts_with("generated_at:") || text.find("\ngenerated_at:") != std::string_view::npos))
    return Format{"bandit", "bandit-yaml", parse_bandit_yaml};
  return std::unexpected(in.error_at(start, "not a report dockgate recognizes (neither JSON, XML, bandit CSV, "
                                            "text nor YAML); it starts with: \"" + printable(first_line) + "\""));
}

ParseResult parse_input(Input& in, std::string_view family) {
  // Repaired before recognition: one bad byte in a message must not make the file unknown. A JSON
  // report is recognized by its first MiB, so only that is checked here; simdjson's first stage
  // checks the rest as it indexes (json::parse_json), and the sniffer's pass over the whole text
  // checks it first. A valid report is then read once for UTF-8, not twice.
  if (!looks_like_json(in.text()) || !valid_utf8_prefix(in.text(), kSniffPrefix)) in.check_utf8();
  if (family == "trivy" && is_json_null(in.text())) return parse_trivy_json(in);  // zero findings
  // A file given as a dockgate result (merge, --baseline) is read without the sniffer's pass over
  // it: the parser checks the keys that recognize a result, and a file that fails it takes the
  // sniffed way below, which names what the file is instead. Sniffing was a fifth of merging 64
  // shard results (bench/README.md).
  std::string variant = "dockgate-result";
  ParseResult parsed = std::unexpected(util::Error{});
  if (family == "dockgate") parsed = parse_dockgate_json(in);
  if (!parsed) {
    auto fmt = sniff(in);
    if (!fmt) return std::unexpected(fmt.error());
    if (family != "auto" && family != fmt->family && family != fmt->tool) {
      auto start = std::min(in.text().find_first_not_of(" \t\r\n"), in.text().size());
      return std::unexpected(in.error_at(start, "--format " + std::string(family) +
                                                    " was given, but the file looks like " + fmt->variant));
    }
    variant = fmt->variant;
    parsed = fmt->parse(in);
  }
  if (parsed) {
    // Said once, first, whoever found it (here, the sniffer or the JSON parser).
    if (auto& w = in.utf8_warning; !w.empty() && std::find(parsed->warnings.begin(), parsed->warnings.end(), w) ==
                                                    parsed->warnings.end())
      parsed->warnings.insert(parsed->warnings.begin(), w);
    for (auto& step : parsed->steps) {
      if (step.inputs.empty()) step.inputs.push_back(in.name);
      if (step.format.empty()) step.format = parsed->format.empty() ? variant : parsed->format;
    }
    if (parsed->format.empty()) parsed->format = variant;
  }
  return parsed;
}

ParseResult parse_report(const std::filesystem::path& path, std::string_view family) {
  auto in = load_input(path);
  if (!in) return std::unexpected(in.error());
  return parse_input(*in, family);
}

}  // namespace dg::ingest
