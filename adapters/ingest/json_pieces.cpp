#include "adapters/ingest/json_pieces.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "adapters/ingest/json_scan.hpp"

namespace dg::ingest::json {

namespace {

struct Span {
  std::size_t begin = 0, end = 0;
};

bool opens(char c) { return c == '{' || c == '['; }

bool delimits(char c) { return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// The end of the scalar at `i`: past the closing quote of a string, or up to the next delimiter
// of a number or literal; kNoClose when there is none (simdjson then checks what it is).
std::size_t scalar_end(std::string_view t, std::size_t i) {
  if (t[i] == '"') {
    std::size_t q = closing_quote(t, i + 1);
    return q == kNoClose ? kNoClose : q + 1;
  }
  std::size_t j = i;
  while (j < t.size() && !delimits(t[j]) && t[j] != '"' && !opens(t[j])) ++j;
  return j > i ? j : kNoClose;
}

bool is_null_at(std::string_view t, std::size_t i) {
  return t.compare(i, 4, "null") == 0 && (i + 4 == t.size() || delimits(t[i + 4]));
}

// One walk over an object's text, for both passes: the check (is every piece where the reader
// expects it? how large is the largest?) and the read (parse each piece, call the reader). The
// visitor V says which. False when the text cannot be cut; `end` is then meaningless.
template <class V>
bool walk(std::string_view t, std::size_t open, ObjectReader& r, V& v, std::size_t& end) {
  v.begin(r);
  std::size_t i = skip_space(t, open + 1);
  if (i < t.size() && t[i] == '}') {
    v.end(r);
    end = i + 1;
    return true;
  }
  for (;;) {
    if (i >= t.size() || t[i] != '"') return false;
    std::size_t q = t.find('"', i + 1);
    if (q == std::string_view::npos) return false;
    std::string_view key = t.substr(i + 1, q - i - 1);
    // An escaped key is left to simdjson; so is one that is not UTF-8 (it repairs and warns).
    if (key.find('\\') != std::string_view::npos || !simdjson::validate_utf8(key.data(), key.size())) return false;
    i = skip_space(t, q + 1);
    if (i >= t.size() || t[i] != ':') return false;
    i = skip_space(t, i + 1);
    if (i >= t.size()) return false;
    std::size_t value_end = kNoClose;
    const bool split = r.split(key);
    ObjectReader* sub = r.object(key);
    if (split && is_null_at(t, i)) {
      v.array(r, key);
      value_end = i + 4;
    } else if (split && t[i] == '[') {
      v.array(r, key);
      ObjectReader* inner = r.nested(key);
      std::size_t j = skip_space(t, i + 1);
      if (j < t.size() && t[j] == ']') {
        value_end = j + 1;
      } else {
        for (;;) {
          if (j >= t.size()) return false;
          std::size_t e = kNoClose;
          if (inner && t[j] == '{') {
            if (!walk(t, j, *inner, v, e)) return false;
          } else {
            // An element of another kind goes to element() whole: the reader says what is wrong.
            if (!opens(t[j]) || (e = match_close(t, j)) == kNoClose) return false;
            v.element(r, key, Span{j, e});
          }
          j = skip_space(t, e);
          if (j < t.size() && t[j] == ',') { j = skip_space(t, j + 1); continue; }
          if (j < t.size() && t[j] == ']') { value_end = j + 1; break; }
          return false;
        }
      }
    } else if (sub && t[i] == '{') {
      if (!walk(t, i, *sub, v, value_end)) return false;
    } else if (opens(t[i])) {
      if ((value_end = match_close(t, i)) == kNoClose) return false;
      v.member(r, key, Span{i, value_end}, false);
    } else {
      if ((value_end = scalar_end(t, i)) == kNoClose) return false;
      v.member(r, key, Span{i, value_end}, true);
    }
    i = skip_space(t, value_end);
    if (i < t.size() && t[i] == ',') { i = skip_space(t, i + 1); continue; }
    if (i < t.size() && t[i] == '}') break;
    return false;
  }
  v.end(r);
  end = i + 1;
  return true;
}

// The first pass: nothing is parsed, the reader is only asked which members it splits.
struct Check {
  std::size_t largest = 0;
  void begin(ObjectReader&) {}
  void end(ObjectReader&) {}
  void array(ObjectReader&, std::string_view) {}
  void element(ObjectReader&, std::string_view, Span s) { largest = std::max(largest, s.end - s.begin); }
  void member(ObjectReader&, std::string_view, Span s, bool scalar) {
    if (!scalar) largest = std::max(largest, s.end - s.begin);
  }
};

// Where the root object is and whether it can be cut: the check pass over all of it.
std::optional<std::size_t> check(std::string_view t, ObjectReader& root, std::size_t& open) {
  open = skip_space(t, 0);
  if (open >= t.size() || t[open] != '{') return std::nullopt;
  Check c;
  std::size_t end = 0;
  if (!walk(t, open, root, c, end) || skip_space(t, end) != t.size()) return std::nullopt;
  return c.largest;
}

// The second pass: each piece parsed by simdjson and handed to the reader. The text is as the
// check found it (repairing UTF-8 writes '?' over bytes of 0x80 and more only), so the walk
// cannot fail here.
class PieceParser {
 public:
  PieceParser(Input& in, ParsedReport& out) : in_(in), out_(out) {}
  simdjson::error_code allocate(std::size_t largest) { return parser_.allocate(std::max<std::size_t>(largest, 64)); }
  // Where simdjson was when it threw: its position in the piece, else the piece's start.
  std::size_t where() {
    const char* q = nullptr;
    if (iterating_ && doc_.current_location().get(q) == simdjson::SUCCESS && q)
      if (auto at = in_.offset_of(q)) return *at;
    return piece_at_;
  }

  void begin(ObjectReader& r) { r.begin(); }
  void end(ObjectReader& r) { r.end(); }
  void array(ObjectReader& r, std::string_view key) { r.array(key); }
  void element(ObjectReader& r, std::string_view key, Span s) {
    in_.release_before(s.begin);  // the text before this element is read, whatever the reader keeps
    r.element(key, piece(s));
  }
  void member(ObjectReader& r, std::string_view key, Span s, bool is_scalar) {
    if (!is_scalar) {
      r.member(key, piece(s));
      return;
    }
    // simdjson hands out a scalar document's value only through the document, so the scalar is
    // read as the one element of "[" + scalar + "]".
    piece_at_ = s.begin;
    const std::size_t n = s.end - s.begin;
    scalar_.assign(n + 2 + simdjson::SIMDJSON_PADDING, '\0');
    scalar_[0] = '[';
    scalar_[n + 1] = ']';
    auto fill = [&] { std::memcpy(scalar_.data() + 1, in_.text().data() + s.begin, n); };  // again once repaired
    fill();
    iterate(simdjson::padded_string_view(scalar_.data(), n + 2, scalar_.size()), fill);
    // Offsets in the copy are offsets in the file (error messages, json::offset_of).
    in_.alias(scalar_.data() + 1, n, s.begin);
    struct Unalias {
      Input& in;
      ~Unalias() { in.alias(nullptr, 0, 0); }
    } unalias{in_};
    for (auto el : doc_.get_array()) {
      r.member(key, el.value());
      break;
    }
  }

 private:
  void iterate(simdjson::padded_string_view view, const std::function<void()>& refresh) {
    iterating_ = false;
    auto err = parser_.iterate(view).get(doc_);
    if (err == simdjson::UTF8_ERROR && !in_.utf8_checked) {
      if (auto& warning = in_.check_utf8(); !warning.empty()) out_.warnings.push_back(warning);
      refresh();
      err = parser_.iterate(view).get(doc_);
    }
    if (err) throw JsonError(piece_at_, describe(err));
    iterating_ = true;
  }
  od::value piece(Span s) {
    piece_at_ = s.begin;
    const std::size_t capacity = in_.padded().capacity();
    iterate(simdjson::padded_string_view(in_.text().data() + s.begin, s.end - s.begin, capacity - s.begin), [] {});
    od::value v;
    if (auto e = doc_.get_value().get(v)) throw JsonError(s.begin, describe(e));
    return v;
  }

  Input& in_;
  ParsedReport& out_;
  od::parser parser_;
  od::document doc_;
  bool iterating_ = false;    // doc_ holds a piece (a default document has no position to ask for)
  std::size_t piece_at_ = 0;  // where the piece being read starts
  std::string scalar_;
};

ParseResult parse_whole(const Input& in, std::string_view what, ObjectReader& root,
                        const std::function<void(ParsedReport& out)>& finish) {
  return parse_json(in, what, [&](od::value v, ParsedReport& out) {
    read_object(in, v, "(root)", root);
    finish(out);
  });
}

}  // namespace

void read_object(const Input& in, od::value object_value, std::string_view name, ObjectReader& r) {
  r.begin();
  for (auto field : object(in, object_value, name)) {
    std::string_view k = key(field);
    od::value v = field.value();
    od::json_type t{};
    if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
    if (r.split(k) && (t == od::json_type::array || t == od::json_type::null)) {
      r.array(k);
      if (t == od::json_type::null) {
        (void)is_null(v);
        continue;
      }
      ObjectReader* inner = r.nested(k);
      std::string inner_name = std::string(k) + "[]";
      for (auto el : v.get_array()) {
        od::value e = el.value();
        od::json_type et{};
        if (auto err = e.type().get(et)) throw simdjson::simdjson_error(err);
        if (inner && et == od::json_type::object) {
          read_object(in, e, inner_name, *inner);
        } else {
          in.release_before(offset_of(in, e));  // as parse_json_pieces does: the text before it is read
          r.element(k, e);
        }
      }
    } else if (ObjectReader* sub = r.object(k); sub && t == od::json_type::object) {
      read_object(in, v, k, *sub);
    } else {
      r.member(k, v);
    }
  }
  r.end();
}

std::optional<std::size_t> largest_piece(std::string_view text, ObjectReader& root) {
  std::size_t open = 0;
  return check(text, root, open);
}

ParseResult parse_json_pieces(const Input& in_const, std::string_view what, ObjectReader& root,
                              const std::function<void(ParsedReport& out)>& finish) {
  std::size_t open = 0;
  auto largest = check(in_const.text(), root, open);
  if (!largest) return parse_whole(in_const, what, root, finish);
  // check_utf8 repairs bytes in place and keeps offsets; the Input stays logically the same file.
  Input& in = const_cast<Input&>(in_const);
  ParsedReport out;  // what the parser adds (a repair warning) before the reader's finish
  PieceParser pieces(in, out);
  if (auto e = pieces.allocate(*largest)) return std::unexpected(in.error(std::string(what) + ": " + describe(e)));
  return guarded(in, what, [&] { return pieces.where(); }, [&](ParsedReport& result) {
    std::size_t end = 0;
    walk(in.text(), open, root, pieces, end);
    result = std::move(out);
    finish(result);
  });
}

}  // namespace dg::ingest::json
