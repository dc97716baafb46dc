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
  bool split = false;           // the big array: read through `elements`
  std::vector<Span> elements;
};

bool opens(char c) { return c == '{' || c == '['; }

// The root object's members, the big array's elements among them, or nullopt when the text is
// not an object whose members are all objects and arrays under plain keys.
std::optional<std::vector<Member>> cut(std::string_view t, std::string_view array_key) {
  std::vector<Member> members;
  std::size_t i = skip_space(t, 0);
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  i = skip_space(t, i + 1);
  if (i < t.size() && t[i] == '}') return skip_space(t, i + 1) == t.size() ? std::optional(members) : std::nullopt;
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
      std::size_t j = skip_space(t, i + 1);
      if (j < t.size() && t[j] == ']') {
        m.value.end = j + 1;
      } else {
        for (;;) {
          if (j >= t.size() || !opens(t[j])) return std::nullopt;
          std::size_t e = match_close(t, j);
          if (e == kNoClose) return std::nullopt;
          m.elements.push_back({j, e});
          j = skip_space(t, e);
          if (j < t.size() && t[j] == ',') { j = skip_space(t, j + 1); continue; }
          if (j < t.size() && t[j] == ']') { m.value.end = j + 1; break; }
          return std::nullopt;
        }
      }
    } else {
      m.value.end = match_close(t, i);
      if (m.value.end == kNoClose) return std::nullopt;
    }
    i = skip_space(t, m.value.end);
    members.push_back(std::move(m));
    if (i < t.size() && t[i] == ',') { i = skip_space(t, i + 1); continue; }
    if (i < t.size() && t[i] == '}') break;
    return std::nullopt;
  }
  if (skip_space(t, i + 1) != t.size()) return std::nullopt;
  return members;
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

std::size_t largest(const std::vector<Member>& plan) {
  std::size_t n = 0;
  for (auto& m : plan) {
    if (!m.split) n = std::max(n, m.value.end - m.value.begin);
    for (auto& e : m.elements) n = std::max(n, e.end - e.begin);
  }
  return n;
}

}  // namespace

std::optional<std::size_t> largest_piece(std::string_view text, std::string_view array) {
  auto plan = cut(text, array);
  if (!plan) return std::nullopt;
  return largest(*plan);
}

ParseResult parse_json_pieces(const Input& in_const, std::string_view what, const Pieces& p) {
  auto plan = cut(in_const.text(), p.array);
  if (!plan) return parse_whole(in_const, what, p);
  // check_utf8 repairs bytes in place and keeps offsets; the Input stays logically the same file.
  Input& in = const_cast<Input&>(in_const);
  od::parser parser;
  if (auto e = parser.allocate(std::max<std::size_t>(largest(*plan), 64)))
    return std::unexpected(in.error(std::string(what) + ": " + describe(e)));
  od::document doc;
  std::size_t piece_at = 0;  // where the piece being read starts, for errors simdjson throws
  auto where = [&]() -> std::size_t {
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
      simdjson::padded_string_view view(in.text().data() + s.begin, s.end - s.begin, capacity - s.begin);
      auto err = parser.iterate(view).get(doc);
      if (err == simdjson::UTF8_ERROR && !in.utf8_checked) {
        if (auto& warning = in.check_utf8(); !warning.empty()) out.warnings.push_back(warning);
        err = parser.iterate(view).get(doc);
      }
      if (err) throw JsonError(s.begin, describe(err));
      od::value v;
      if (auto e = doc.get_value().get(v)) throw JsonError(s.begin, describe(e));
      return v;
    };
    bool seen = false;
    for (auto& m : *plan) {
      if (!m.split) {
        p.member(m.key, parse(m.value));
        continue;
      }
      seen = true;
      for (auto& e : m.elements) p.element(parse(e));
    }
    p.finish(seen, out);
  });
}

}  // namespace dg::ingest::json
