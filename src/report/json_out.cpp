#include "src/report/json_out.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>

#include "src/util/utf8.hpp"

namespace dg::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool plain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// Whether all 8 bytes are plain (no control, '"', '\\' or non-ASCII byte), so plain text is
// scanned a word at a time.
bool word_plain(const char* p) {
  using namespace util::swar;
  auto v = load(p);
  return (below(v, 0x20) | equal(v, '"') | equal(v, '\\') | non_ascii(v)) == 0;
}

void append_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: {
      static constexpr char hex[] = "0123456789abcdef";
      char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      out.append(u, sizeof u);
    }
  }
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run + 8 <= s.size() && word_plain(s.data() + run)) run += 8;
    while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      append_escape(out, c);
      ++i;
    } else if (std::size_t n = util::utf8_seq_len(s, i)) {
      out.append(s.data() + i, n);
      i += n;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  out += '"';
}

void append_json_real(std::string& out, double v) {
  // nlohmann's own formatter (grisu2, then its fixed/exponent rule): std::to_chars picks the
  // shorter form and writes 1e-04 where nlohmann writes 0.0001 (an EPSS score). Numbers are few
  // (a finding's risk data), so the small cost of a json value does not matter.
  out += nlohmann::json(v).dump();
}

JsonObject::JsonObject(std::string& out) : out_(out) { out_ += '{'; }

JsonObject::JsonObject(std::string& out, std::size_t rollback, JsonObject* parent, bool parent_was_empty)
    : out_(out), rollback_(rollback), parent_(parent), parent_was_empty_(parent_was_empty) {
  out_ += '{';
}

void JsonObject::key(std::string_view k) {
  if (!empty_) out_ += ',';
  empty_ = false;
  out_ += '"';
  out_ += k;  // keys are the writers' own ASCII names
  out_ += "\":";
}

JsonObject& JsonObject::str(std::string_view k, std::string_view v) {
  key(k);
  append_json_string(out_, v);
  return *this;
}

JsonObject& JsonObject::str_if(std::string_view k, std::string_view v) {
  if (!v.empty()) str(k, v);
  return *this;
}

JsonObject& JsonObject::num(std::string_view k, long long v) {
  key(k);
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out_.append(buf, static_cast<std::size_t>(end - buf));
  return *this;
}

JsonObject& JsonObject::num_if(std::string_view k, long long v) {
  if (v != 0) num(k, v);
  return *this;
}

JsonObject& JsonObject::real(std::string_view k, double v) {
  key(k);
  append_json_real(out_, v);
  return *this;
}

JsonObject& JsonObject::boolean(std::string_view k, bool v) {
  key(k);
  out_ += v ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::strings_if(std::string_view k, const std::vector<std::string>& v) {
  if (v.empty()) return *this;
  key(k);
  out_ += '[';
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out_ += ',';
    append_json_string(out_, v[i]);
  }
  out_ += ']';
  return *this;
}

JsonObject JsonObject::nested(std::string_view k) {
  std::size_t at = out_.size();
  bool was_empty = empty_;
  key(k);
  return JsonObject(out_, at, this, was_empty);
}

void JsonObject::close() {
  if (empty_ && parent_) {  // take the key (and its comma) back out
    out_.resize(rollback_);
    parent_->empty_ = parent_was_empty_;
    return;
  }
  out_ += '}';
}

}  // namespace dg::report
