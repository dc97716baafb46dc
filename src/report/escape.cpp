#include "src/report/escape.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "src/util/text.hpp"
#include "src/util/utf8.hpp"

namespace dg::report {

namespace {

// Decodes one UTF-8 code point at s[i] (already valid UTF-8); returns its length.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (i + n > s.size()) n = 1;
  cp = n == 1 ? b : n == 2 ? b & 0x1F : n == 3 ? b & 0x0F : b & 0x07;
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return n;
}

bool xml_allowed(char32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

// Whether every byte is printable ASCII (0x20 to 0x7E), 8 bytes at a time: the SARIF writer asks
// this of every title and description of every finding. The word test can only say "no" too
// often (a borrow after a byte that fails), and the byte loop decides then.
bool printable(std::string_view s) {
  using namespace util::swar;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    auto v = load(s.data() + i);
    if (below(v, 0x20) | equal(v, 0x7F) | non_ascii(v)) break;
  }
  for (; i < s.size(); ++i)
    if (static_cast<unsigned char>(s[i]) < 0x20 || static_cast<unsigned char>(s[i]) >= 0x7F) return false;
  return true;
}

// Whether every byte is printable ASCII or a tab (and CR/LF when `newlines`): such text passes
// strip_controls unchanged. Most scanner text is, and the SARIF writer cleans every title and
// description of every rule: the byte-by-byte decode was a quarter of writing a large log.
bool plain_ascii(std::string_view s, bool newlines) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F) continue;
    if (c == '\t' || (newlines && (c == '\n' || c == '\r'))) continue;
    return false;
  }
  return true;
}

// Drops ANSI CSI/OSC sequences (colored tool output) and every control character but those kept.
std::string strip_controls(std::string_view in, bool keep_newlines) {
  if (plain_ascii(in, keep_newlines)) return std::string(in);
  std::string s = util::to_valid_utf8(in);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    std::size_t n = decode(s, i, cp);
    if (cp == 0x1B) {  // ESC [ ... final byte, or ESC ] ... BEL/ST
      std::size_t j = i + 1;
      if (j < s.size() && s[j] == '[') {
        ++j;
        while (j < s.size() && !(s[j] >= 0x40 && s[j] <= 0x7E)) ++j;
        i = std::min(s.size(), j + 1);
        continue;
      }
      if (j < s.size() && s[j] == ']') {
        while (j < s.size() && s[j] != '\a' && !(s[j] == 0x1B && j + 1 < s.size() && s[j + 1] == '\\')) ++j;
        i = std::min(s.size(), j + (j < s.size() && s[j] == 0x1B ? 2 : 1));
        continue;
      }
      i += 1;
      continue;
    }
    bool keep = xml_allowed(cp) && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F) && cp != 0x2028 && cp != 0x2029 &&
                !(cp >= 0x202A && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069);  // bidi overrides
    if (cp == '\r' || cp == '\n') keep = keep_newlines;
    if (cp == '\t') keep = true;
    if (keep) out.append(s, i, n);
    else if (!keep_newlines && (cp == '\r' || cp == '\n')) out += ' ';
    i += n;
  }
  return out;
}

}  // namespace

std::string xml_clean(std::string_view in) {
  std::string s = util::to_valid_utf8(in);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp;
    std::size_t n = decode(s, i, cp);
    if (xml_allowed(cp)) out.append(s, i, n);
    i += n;
  }
  return out;
}

std::string log_text(std::string_view s) {
  std::string out = strip_controls(s, true);
  std::erase(out, '\r');
  return out;
}

std::string one_line(std::string_view s) {
  // Already one line: printable ASCII, single spaces, none at either end (most titles are).
  bool single = !s.empty() && s.front() != ' ' && s.back() != ' ' && printable(s) &&
                s.find("  ") == std::string_view::npos;
  if (single) return std::string(s);
  return util::normalize_space(strip_controls(s, false));
}

namespace {

void html_escape_into(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

}  // namespace

std::string html_text(std::string_view in, std::size_t max_bytes) {
  std::string s = one_line(in);
  if (max_bytes > 0 && s.size() > max_bytes) s = util::truncate_utf8(s, max_bytes);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  html_escape_into(out, s);
  return out;
}

std::string html_block(std::string_view in) {
  std::string s = log_text(in);
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  html_escape_into(out, s);
  return out;
}

std::string json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' && (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string md_text(std::string_view in, std::size_t max_bytes) {
  std::string s = util::truncate_utf8(one_line(in), max_bytes);
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  static constexpr std::string_view kZwsp = "&#8203;";
  // The bytes the switch below handles; runs of the others are copied at once.
  static constexpr auto kMarkup = [] {
    std::array<bool, 256> m{};
    for (unsigned char c : std::string_view("<>&\"|`\\*_[]~@#!$%")) m[c] = true;
    return m;
  }();
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t run = i;
    while (run < s.size() && !kMarkup[static_cast<unsigned char>(s[run])]) ++run;
    out.append(s, i, run - i);
    if (run == s.size()) break;
    i = run;
    char c = s[i];
    char next = i + 1 < s.size() ? s[i + 1] : '\0';
    bool next_word = std::isalnum(static_cast<unsigned char>(next)) || next == '_' || next == '-';
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '|': out += "\\|"; break;
      case '`': case '\\': case '*': case '_': case '[': case ']': case '~':
        out += '\\';
        out += c;
        break;
      case '@':  // @user, @org/team: a ping on GitHub and GitLab
      case '#':  // #123 issue/PR, and # at a line start is a heading
      case '!':  // !123 GitLab merge request, and ![ an image
      case '$':  // $123 GitLab snippet
      case '%':  // %milestone on GitLab
        out += c;
        if (next_word || next == '"' || next == '[') out += kZwsp;
        break;
      default: out += c;
    }
  }
  return out;
}

std::string md_code_block(std::string_view content, std::string_view info) {
  std::string body = strip_controls(content, true);
  std::erase(body, '\r');
  std::size_t longest = 0, run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  while (!body.empty() && body.back() == '\n') body.pop_back();
  return fence + std::string(info) + "\n" + body + "\n" + fence + "\n";
}

bool safe_url(std::string_view u) {
  if (!(u.starts_with("https://") || u.starts_with("http://")) || u.size() > 2000) return false;
  for (char c : u) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`' || c == '(' ||
        c == ')' || c == '|' || c == '\'' || c == '[' || c == ']')
      return false;
  }
  return true;
}

namespace {

// GitHub's workflow-command escaping (actions/toolkit escapeData / escapeProperty): '%' first of all.
std::string percent_encode(std::string_view s, std::string_view chars) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (chars.find(c) == std::string_view::npos) {
      out += c;
      continue;
    }
    auto u = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[u >> 4];
    out += kHex[u & 15];
  }
  return out;
}

}  // namespace

std::string gh_data(std::string_view in) { return percent_encode(strip_controls(in, true), "%\r\n"); }

std::string gh_property(std::string_view in) { return percent_encode(one_line(in), "%:,\r\n"); }

}  // namespace dg::report
