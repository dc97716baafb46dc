#include "src/app/yaml_fields.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "src/util/text.hpp"

namespace dg::app::yaml {

void fail_at(const Doc& doc, const YAML::Mark& mark, std::string message) {
  util::Error e{util::ErrorKind::Usage, std::move(message), doc.file};
  if (!mark.is_null()) {
    e.line = mark.line + 1;
    e.column = mark.column + 1;
  }
  throw FieldError{std::move(e)};
}

namespace {

struct AliasFound {
  YAML::Mark mark;
};

// Walks the events of the first document (the one YAML::Load reads) and stops at the first
// alias. A configuration or waiver file has no use for them, and each alias of a big anchor is
// read, and copied into findings, as that whole node again: 2,000 aliases of a 1 MB scalar made
// 12 GB. Refusing them keeps the work linear in the file.
class AliasCheck final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { throw AliasFound{mark}; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

util::Expected<YAML::Node> parse(const Doc& doc, const std::string& text) {
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    AliasCheck check;
    parser.HandleNextDocument(check);
    return YAML::Load(text);
  } catch (const AliasFound& a) {
    util::Error e{util::ErrorKind::Usage,
                  "YAML aliases (*name) are not accepted here: write the value out (an alias repeats a whole "
                  "node, and expanding them is how a small file becomes gigabytes)",
                  doc.file};
    e.line = a.mark.line + 1;
    e.column = a.mark.column + 1;
    return std::unexpected(std::move(e));
  } catch (const YAML::DeepRecursion& ex) {
    // yaml-cpp's own message for its depth limit is "bad file".
    util::Error e{util::ErrorKind::Usage,
                  "YAML nested deeper than " + std::to_string(ex.depth()) +
                      " levels (yaml-cpp's limit; no configuration nests past a few)",
                  doc.file};
    if (!ex.mark.is_null()) {
      e.line = ex.mark.line + 1;
      e.column = ex.mark.column + 1;
    }
    return std::unexpected(std::move(e));
  } catch (const YAML::Exception& ex) {
    util::Error e{util::ErrorKind::Usage, "invalid YAML: " + ex.msg, doc.file};
    if (!ex.mark.is_null()) {
      e.line = ex.mark.line + 1;
      e.column = ex.mark.column + 1;
    }
    return std::unexpected(std::move(e));
  }
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(std::string_view word, std::initializer_list<std::string_view> candidates) {
  std::string w = util::to_lower(word);
  std::replace(w.begin(), w.end(), '_', '-');
  std::string best;
  std::size_t best_d = std::max<std::size_t>(1, std::min<std::size_t>(3, w.size() / 3));
  for (auto c : candidates) {
    std::size_t d = edit_distance(w, c);
    if (d <= best_d && (best.empty() || d < best_d)) {
      best = std::string(c);
      best_d = d;
    }
  }
  return best;
}

void need_map(const Doc& doc, const YAML::Node& n, std::string_view what) {
  if (!n.IsMap() && !n.IsNull()) fail_at(doc, n.Mark(), std::string(what) + " must be a mapping (key: value)");
}

void check_keys(const Doc& doc, const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                std::string_view where) {
  if (!map.IsMap()) return;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar()) fail_at(doc, it->first.Mark(), "a key in " + std::string(where) + " must be a word");
    const std::string key = it->first.Scalar();  // a copy: `it->` is a proxy that dies here
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string msg = "unknown key '" + key + "' in " + std::string(where);
    if (auto hint = did_you_mean(key, allowed); !hint.empty()) msg += " (did you mean '" + hint + "'?)";
    else {
      msg += " (known keys:";
      for (auto a : allowed) msg += " " + std::string(a);
      msg += ")";
    }
    fail_at(doc, it->first.Mark(), msg);
  }
}

std::string where(const Doc& doc, const YAML::Node& n) { return doc.file + ":" + std::to_string(n.Mark().line + 1); }

std::string scalar(const Doc& doc, const YAML::Node& n, std::string_view what) {
  if (n.IsNull()) return "";
  if (!n.IsScalar()) fail_at(doc, n.Mark(), std::string(what) + " must be a single value, not a " +
                                                (n.IsMap() ? "mapping" : "list"));
  return n.Scalar();
}

bool boolean(const Doc& doc, const YAML::Node& n, std::string_view what) {
  std::string s = util::to_lower(scalar(doc, n, what));
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  fail_at(doc, n.Mark(), std::string(what) + " must be true or false, not '" + n.Scalar() + "'");
}

long integer(const Doc& doc, const YAML::Node& n, std::string_view what, long min, long max) {
  std::string s = scalar(doc, n, what);
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    fail_at(doc, n.Mark(), std::string(what) + " must be a whole number, not '" + s + "'");
  if (v < min || v > max)
    fail_at(doc, n.Mark(), std::string(what) + " must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ", not " + s);
  return v;
}

double number(const Doc& doc, const YAML::Node& n, std::string_view what) {
  std::string s = scalar(doc, n, what);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size())
    fail_at(doc, n.Mark(), std::string(what) + " must be a number, not '" + s + "'");
  return v;
}

std::vector<std::string> strings(const Doc& doc, const YAML::Node& n, std::string_view what) {
  std::vector<std::string> out;
  if (n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
    return out;
  }
  if (!n.IsSequence()) fail_at(doc, n.Mark(), std::string(what) + " must be a list");
  for (auto el : n) out.push_back(scalar(doc, el, what));
  return out;
}

}  // namespace dg::app::yaml
