#include "adapters/ingest/json_pieces.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "adapters/ingest/json_scan.hpp"

namespace dg::ingest::json {

namespace {

struct Span {
  std::size_t begin = 0, end = 0;
};

struct Member {
  std::string_view key;
  Span value;
  bool split = false;  // the big array: read element by element
};

// The root object's members, or nullopt when the text is not an object whose members are all
// objects and arrays under plain keys and whose big array holds only objects and arrays.
// `largest` is the size of the largest piece. Elements are not kept (a crafted report of a
// billion `{}` would need 16 bytes of span for every 3 of text): each_element finds them again.
struct Plan {
  std::vector<Member> members;
  std::size_t largest = 0;
};

bool opens(char c) { return c == '{' || c == '['; }

// Calls `each(begin, end)` for every element of the array whose '[' is at `open`; the offset
// past its ']', or kNoClose when an element is not an object or array or the array is malformed.
template <class Each>
std::size_t each_element(std::string_view t, std::size_t open, Each&& each) {
  std::size_t j = skip_space(t, open + 1);
  if (j < t.size() && t[j] == ']') return j + 1;
  for (;;) {
    if (j >= t.size() || !opens(t[j])) return kNoClose;
    std::size_t e = match_close(t, j);
    if (e == kNoClose) return kNoClose;
    each(j, e);
    j = skip_space(t, e);
    if (j < t.size() && t[j] == ',') { j = skip_space(t, j + 1); continue; }
    if (j < t.size() && t[j] == ']') return j + 1;
    return kNoClose;
  }
}

std::optional<Plan> cut(std::string_view t, std::string_view array_key) {
  Plan plan;
  std::size_t i = skip_space(t, 0);
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  i = skip_space(t, i + 1);
  if (i < t.size() && t[i] == '}') return skip_space(t, i + 1) == t.size() ? std::optional(plan) : std::nullopt;
  for (;;) {
    if (i >= t.size() || t[i] != '"') return std::nullopt;
    std::size_t q = t.find('"', i + 1);
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view key = t.substr(i + 1, q - i - 1);
    // An escaped key is left to simdjson; so is one that is not UTF-8 (it repairs and warns).
    if (key.find('\\') != std::string_view::npos || !simdjson::validate_utf8(key.data(), key.size()))
      return std::nullopt;
    i = skip_space(t, q + 1);
    if (i >= t.size() || t[i] != ':') return std::nullopt;
    i = skip_space(t, i + 1);
    if (i >= t.size() || !opens(t[i])) return std::nullopt;
    Member m;
    m.key = key;
    m.value.begin = i;
    if (key == array_key) {
      if (t[i] != '[') return std::nullopt;  // the whole parse names the shape error
      m.split = true;
      m.value.end = each_element(t, i, [&](std::size_t b, std::size_t e) { plan.largest = std::max(plan.largest, e - b); });
    } else {
      m.value.end = match_close(t, i);
      if (m.value.end != kNoClose) plan.largest = std::max(plan.largest, m.value.end - i);
    }
    if (m.value.end == kNoClose) return std::nullopt;
    i = skip_space(t, m.value.end);
    plan.members.push_back(m);
    if (i < t.size() && t[i] == ',') { i = skip_space(t, i + 1); continue; }
    if (i < t.size() && t[i] == '}') break;
    return std::nullopt;
  }
  if (skip_space(t, i + 1) != t.size()) return std::nullopt;
  return plan;
}

ParseResult parse_whole(const Input& in, std::string_view what, const Pieces& p) {
  return parse_json(in, what, [&](od::value root, ParsedReport& out) {
    bool seen = false;
    for (auto field : object(in, root, "(root)")) {
      std::string_view k = key(field);
      od::value v = field.value();
      if (k != p.array) {
        p.member(k, v);
        continue;
      }
      seen = true;
      od::array elements;
      if (!optional_array(in, v, p.array, elements)) continue;
      for (auto el : elements) p.element(el.value());
    }
    p.finish(seen, out);
  });
}

}  // namespace

std::optional<std::size_t> largest_piece(std::string_view text, std::string_view array) {
  auto plan = cut(text, array);
  if (!plan) return std::nullopt;
  return plan->largest;
}

ParseResult parse_json_pieces(const Input& in_const, std::string_view what, const Pieces& p) {
  auto plan = cut(in_const.text(), p.array);
  if (!plan) return parse_whole(in_const, what, p);
  // check_utf8 repairs bytes in place and keeps offsets; the Input stays logically the same file.
  Input& in = const_cast<Input&>(in_const);
  od::parser parser;
  if (auto e = parser.allocate(std::max<std::size_t>(plan->largest, 64)))
    return std::unexpected(in.error(std::string(what) + ": " + describe(e)));
  od::document doc;
  bool iterating = false;    // doc holds a piece (a default document has no position to ask for)
  std::size_t piece_at = 0;  // where the piece being read starts, for errors simdjson throws
  auto where = [&]() -> std::size_t {
    if (!iterating) return piece_at;
    const char* q = nullptr;
    const char* base = in.text().data();
    if (doc.current_location().get(q) == simdjson::SUCCESS && q && q >= base && q <= base + in.text().size())
      return static_cast<std::size_t>(q - base);
    return piece_at;
  };
  return guarded(in, what, where, [&](ParsedReport& out) {
    const std::size_t capacity = in.padded().capacity();
    auto parse = [&](Span s) -> od::value {
      piece_at = s.begin;
      iterating = false;
      simdjson::padded_string_view view(in.text().data() + s.begin, s.end - s.begin, capacity - s.begin);
      auto err = parser.iterate(view).get(doc);
      if (err == simdjson::UTF8_ERROR && !in.utf8_checked) {
        if (auto& warning = in.check_utf8(); !warning.empty()) out.warnings.push_back(warning);
        err = parser.iterate(view).get(doc);
      }
      if (err) throw JsonError(s.begin, describe(err));
      iterating = true;
      od::value v;
      if (auto e = doc.get_value().get(v)) throw JsonError(s.begin, describe(e));
      return v;
    };
    bool seen = false;
    for (auto& m : plan->members) {
      if (!m.split) {
        p.member(m.key, parse(m.value));
        continue;
      }
      seen = true;
      // The text is as cut() found it: repairing UTF-8 writes '?' over bytes >= 0x80 only.
      each_element(in.text(), m.value.begin, [&](std::size_t b, std::size_t e) { p.element(parse({b, e})); });
    }
    p.finish(seen, out);
  });
}

}  // namespace dg::ingest::json
