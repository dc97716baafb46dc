#pragma once
// Byte-level scanning shared by the text utilities and the JSON, XML and SARIF writers: the length
// of a valid UTF-8 sequence, and tests of 8 bytes at a time that let plain ASCII text through
// without a per-byte decode (the writers' hot loop: most scanner text is plain ASCII).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace dg::util {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one: no overlong forms, no
// surrogates, nothing past U+10FFFF, nothing cut short by the end. ASCII is 1.
inline std::size_t utf8_seq_len(const unsigned char* s, std::size_t n, std::size_t i) {
  unsigned char c = s[i];
  if (c < 0x80) return 1;
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;       // overlong
    else if (c == 0xED) hi = 0x9F;  // surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;       // overlong
    else if (c == 0xF4) hi = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (i + len > n) return 0;
  if (s[i + 1] < lo || s[i + 1] > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
  return len;
}

inline std::size_t utf8_seq_len(std::string_view s, std::size_t i) {
  return utf8_seq_len(reinterpret_cast<const unsigned char*>(s.data()), s.size(), i);
}

// Eight bytes as one word, and the classic "has a zero byte" bit tricks over it. Each test sets
// the high bit of a lane it matches; a borrow may also mark a lane after a true match, so the
// tests answer "any lane?" exactly, not "which lane" (callers then walk the bytes).
namespace swar {

inline constexpr std::uint64_t kOnes = 0x0101010101010101ull;
inline constexpr std::uint64_t kHighs = 0x8080808080808080ull;

inline std::uint64_t load(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
// A byte below `b` (b at most 0x80).
constexpr std::uint64_t below(std::uint64_t v, unsigned char b) { return (v - kOnes * b) & ~v & kHighs; }
// A byte equal to `c`.
constexpr std::uint64_t equal(std::uint64_t v, unsigned char c) {
  std::uint64_t x = v ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}
// A byte of 0x80 or more (not ASCII).
constexpr std::uint64_t non_ascii(std::uint64_t v) { return v & kHighs; }

}  // namespace swar
}  // namespace dg::util
