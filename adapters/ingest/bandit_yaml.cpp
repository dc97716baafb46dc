// bandit -f yaml: the same tree as -f json ({errors, generated_at, metrics, results}), dumped by
// PyYAML with sorted keys, long strings folded over lines and repeated line_range lists written as
// anchors and aliases. yaml-cpp reads it; every error names the position yaml-cpp marks.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <charconv>

#include "adapters/ingest/bandit_common.hpp"
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {

namespace {

// bandit's YAML formatter writes the code excerpt's newlines as the two characters "\n" (a
// backslash, an n). Only those that end an excerpt line (followed by "N " or the end) are undone:
// a "\n" inside a source line's string literal stays as written.
std::string unescape_code(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      std::size_t j = i + 2;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      if (j == s.size() ? j == i + 2 : (j > i + 2 && (s[j] == ' ' || s[j] == '\t'))) {
        out += '\n';
        ++i;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

struct ShapeError {
  YAML::Mark mark;
  std::string message;
};

// PyYAML writes anchors and aliases (repeated line_range lists), so they are read; but an alias
// is the whole node again, and a 1 MB anchor aliased thousands of times would be gigabytes of
// findings. What the scalars read add up to is bounded by a multiple of the file instead.
thread_local std::size_t g_scalar_budget = 0;

std::string scalar(const YAML::Node& n, const std::string& what) {
  if (n.IsNull()) return {};
  if (!n.IsScalar()) throw ShapeError{n.Mark(), "\"" + what + "\" is not a string"};
  const std::string& v = n.Scalar();
  if (v.size() > g_scalar_budget)
    throw ShapeError{n.Mark(), "aliases repeat more text than 4 times the file holds: refused (an alias bomb?)"};
  g_scalar_budget -= v.size();
  return v;
}

int integer(const YAML::Node& n, const std::string& what) {
  std::string s = scalar(n, what);
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) throw ShapeError{n.Mark(), "\"" + what + "\" is not a whole number"};
  return v;
}

// A key that is present but empty (`results:` with nothing after it) counts as an empty list.
bool sequence(const YAML::Node& n, const std::string& what) {
  if (!n || n.IsNull()) return false;
  if (!n.IsSequence()) throw ShapeError{n.Mark(), "\"" + what + "\" is not a list"};
  return true;
}

std::string read_cwe(const YAML::Node& n) {
  if (n.IsMap()) return scalar(n["id"], "issue_cwe.id");
  return scalar(n, "issue_cwe");
}

bandit::Issue read_result(const YAML::Node& item) {
  if (!item.IsMap()) throw ShapeError{item.Mark(), "an entry of \"results\" is not a mapping"};
  bandit::Issue i;
  for (auto kv : item) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
    const YAML::Node& v = kv.second;
    if (key == "filename") i.filename = scalar(v, key);
    else if (key == "test_id") i.test_id = scalar(v, key);
    else if (key == "test_name") i.test_name = scalar(v, key);
    else if (key == "issue_severity") i.severity = scalar(v, key);
    else if (key == "issue_confidence") i.confidence = scalar(v, key);
    else if (key == "issue_text") i.text = scalar(v, key);
    else if (key == "more_info") i.more_info = scalar(v, key);
    else if (key == "code") i.code = unescape_code(scalar(v, key));
    else if (key == "issue_cwe") i.cwe = read_cwe(v);
    else if (key == "line_number") i.line = integer(v, key);
    else if (key == "col_offset") i.col_offset = integer(v, key);
    else if (key == "line_range" && sequence(v, key) && v.size() > 0) i.end_line = integer(v[v.size() - 1], "line_range[]");
  }
  if (i.test_id.empty() && i.test_name.empty())
    throw ShapeError{item.Mark(), "a result has neither \"test_id\" nor \"test_name\""};
  return i;
}

util::Error at(const Input& in, const YAML::Mark& m, const std::string& message) {
  // A missing node has no mark (pos -1): the error is about the file as a whole.
  auto pos = m.pos < 0 ? 0 : static_cast<std::size_t>(m.pos);
  return in.error_at(std::min(pos, in.text().size()), message);
}

}  // namespace

ParseResult parse_bandit_yaml(const Input& in) {
  model::StepResult step = bandit::make_step();
  g_scalar_budget = 4 * in.text().size() + (1u << 20);
  try {
    YAML::Node root = YAML::Load(std::string(in.text()));
    if (!root.IsMap()) return std::unexpected(at(in, root.Mark(), "bandit YAML: the document is not a mapping"));
    YAML::Node results = root["results"];
    if (!results) return std::unexpected(in.error_at(0, "bandit YAML: no \"results\" list: not a bandit YAML report"));
    if (sequence(results, "results"))
      for (auto item : results) bandit::add_issue(step, read_result(item));
    if (YAML::Node errors = root["errors"]; sequence(errors, "errors"))
      for (auto e : errors) {
        if (!e.IsMap()) throw ShapeError{e.Mark(), "an entry of \"errors\" is not a mapping"};
        bandit::add_error(step, scalar(e["filename"], "errors[].filename"), scalar(e["reason"], "errors[].reason"));
      }
  } catch (const ShapeError& e) {
    return std::unexpected(at(in, e.mark, "bandit YAML: " + e.message));
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own message for its depth limit is "bad file".
    return std::unexpected(at(in, e.mark, "bandit YAML: YAML nested deeper than " + std::to_string(e.depth()) +
                                              " levels (yaml-cpp's limit; bandit writes a few)"));
  } catch (const YAML::Exception& e) {
    // Truncated or not YAML at all: yaml-cpp's own words, at its mark.
    return std::unexpected(at(in, e.mark, "bandit YAML: " + e.msg));
  }
  return bandit::finish(std::move(step), "bandit-yaml");
}

}  // namespace dg::ingest
