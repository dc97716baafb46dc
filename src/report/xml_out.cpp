#include "src/report/xml_out.hpp"

#include <cstdint>
#include <cstring>

#include "src/util/utf8.hpp"

namespace dg::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

enum class Mode { Text, Attr };

template <Mode M>
bool plain(unsigned char c) {
  if (c < 0x20 || c >= 0x80 || c == '&' || c == '<') return false;
  return M == Mode::Text ? c != '>' : c != '"';
}

// Whether all 8 bytes are plain, so the common ASCII text is scanned a word at a time.
template <Mode M>
bool word_plain(const char* p) {
  using namespace util::swar;
  auto v = load(p);
  constexpr unsigned char third = M == Mode::Text ? '>' : '"';
  return (below(v, 0x20) | equal(v, '&') | equal(v, '<') | equal(v, third) | non_ascii(v)) == 0;
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
      std::size_t n = util::utf8_seq_len(s, i);
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
