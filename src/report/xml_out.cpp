#include "src/report/xml_out.hpp"

#include <cstdint>
#include <cstring>

namespace dg::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

enum class Mode { Text, Attr };

template <Mode M>
bool plain(unsigned char c) {
  if (c < 0x20 || c >= 0x80 || c == '&' || c == '<') return false;
  return M == Mode::Text ? c != '>' : c != '"';
}

// Whether all 8 bytes are plain (the "has a zero byte" bit trick, as in json_out.cpp), so the
// common ASCII text is scanned a word at a time.
template <Mode M>
bool word_plain(const char* p) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  auto has_zero = [](std::uint64_t x) { return (x - ones) & ~x & highs; };
  constexpr char third = M == Mode::Text ? '>' : '"';
  std::uint64_t special = ((v - ones * 0x20) & ~v & highs)  // a byte below 0x20
                          | has_zero(v ^ (ones * '&')) | has_zero(v ^ (ones * '<')) |
                          has_zero(v ^ (ones * static_cast<unsigned char>(third))) | (v & highs);
  return special == 0;
}

// Length of the valid UTF-8 sequence at s[i] (lead byte >= 0x80), or 0 when it is not one
// (no overlong forms, no surrogates, nothing past U+10FFFF: util::to_valid_utf8's rules).
std::size_t utf8_length(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = at(i);
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    else if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    else if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
  return n;
}

template <Mode M>
void append_xml(std::string& out, std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t run = i;
    while (run + 8 <= s.size() && word_plain<M>(s.data() + run)) run += 8;
    while (run < s.size() && plain<M>(static_cast<unsigned char>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == s.size()) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      std::size_t n = utf8_length(s, i);
      if (n == 0) {
        out += kReplacement;
        ++i;
        continue;
      }
      // U+FFFE and U+FFFF are valid UTF-8 but no XML character.
      bool nonchar = n == 3 && c == 0xEF && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
                     static_cast<unsigned char>(s[i + 2]) >= 0xBE;
      if (!nonchar) out.append(s.data() + i, n);
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\t': out += M == Mode::Text ? "\t" : "&#09;"; break;
      case '\n': out += M == Mode::Text ? "\n" : "&#10;"; break;
      case '\r': out += M == Mode::Text ? "\r" : "&#13;"; break;
      default: break;  // the other C0 controls: XML 1.0 has no way to write them
    }
  }
}

}  // namespace

void append_xml_text(std::string& out, std::string_view s) { append_xml<Mode::Text>(out, s); }

void append_xml_attr(std::string& out, std::string_view s) { append_xml<Mode::Attr>(out, s); }

}  // namespace dg::report
