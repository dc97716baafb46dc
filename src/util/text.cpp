#include "src/util/text.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include "src/util/digest.hpp"
#include "src/util/utf8.hpp"

namespace dg::util {

LineCol line_col(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  LineCol lc;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      line_start = i + 1;
    }
  }
  lc.column = static_cast<int>(offset - line_start) + 1;
  return lc;
}

std::size_t find_invalid_utf8(std::string_view text) {
  auto* s = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = utf8_seq_len(s, text.size(), i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::size_t repair_utf8_in_place(char* data, std::size_t size) {
  auto* s = reinterpret_cast<unsigned char*>(data);
  std::size_t fixed = 0;
  for (std::size_t i = 0; i < size;) {
    std::size_t len = utf8_seq_len(s, size, i);
    if (len == 0) {
      s[i++] = '?';
      ++fixed;
    } else {
      i += len;
    }
  }
  return fixed;
}

std::string to_valid_utf8(std::string_view text) {
  auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = utf8_seq_len(s, text.size(), i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.data() + i, len);
      i += len;
    }
  }
  return out;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string normalize_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

std::string truncate_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t cut = max >= 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string sha256_hex(std::string_view data) {
  auto md = sha256(data);
  return hex(md.data(), md.size());
}

}  // namespace dg::util
