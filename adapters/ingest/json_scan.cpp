#include "adapters/ingest/json_scan.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dg::ingest::json {

namespace {

// What the scan carries from one byte (or block) to the next.
struct State {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;  // the previous byte was a backslash that escapes this one
};

// One byte; true when it closes the value (depth back to 0). A backslash escapes the next byte
// inside and outside strings alike, as in simdjson's first stage; only an escaped quote differs.
inline bool step(State& s, char c) {
  bool esc = s.escaped;
  s.escaped = c == '\\' && !esc;
  if (c == '"') {
    if (!esc) s.in_string = !s.in_string;
    return false;
  }
  if (s.in_string) return false;
  if (c == '{' || c == '[') ++s.depth;
  else if (c == '}' || c == ']') return --s.depth == 0;
  return false;
}

#if defined(__SSE2__)
struct Block {
  __m128i v[4];
  explicit Block(const char* p) {
    for (int k = 0; k < 4; ++k) v[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
  }
  std::uint64_t eq(char c) const { return eq_in(v, c); }
  // '[' and '{', ']' and '}' differ only in bit 0x20: one comparison finds both.
  std::uint64_t eq_folded(char c) const {
    __m128i f[4];
    const __m128i bit = _mm_set1_epi8(0x20);
    for (int k = 0; k < 4; ++k) f[k] = _mm_or_si128(v[k], bit);
    return eq_in(f, c);
  }
  static std::uint64_t eq_in(const __m128i* w, char c) {
    const __m128i n = _mm_set1_epi8(c);
    std::uint64_t m = 0;
    for (int k = 0; k < 4; ++k)
      m |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(w[k], n)))) << (16 * k);
    return m;
  }
};

// Bits from each unescaped quote up to (not including) the next: the bytes inside strings.
inline std::uint64_t prefix_xor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// The bytes escaped by a backslash, given the block's backslashes and whether the last byte of
// the previous block escapes the first of this one (simdjson's find_escaped_branchless).
inline std::uint64_t escaped_bytes(std::uint64_t backslash, std::uint64_t& prev_escaped) {
  constexpr std::uint64_t kEven = 0x5555555555555555ULL;
  backslash &= ~prev_escaped;
  std::uint64_t follows_escape = backslash << 1 | prev_escaped;
  std::uint64_t odd_starts = backslash & ~kEven & ~follows_escape;
  std::uint64_t even_starts = 0;
  prev_escaped = __builtin_add_overflow(odd_starts, backslash, &even_starts) ? 1 : 0;
  std::uint64_t invert = even_starts << 1;
  return (kEven ^ invert) & follows_escape;
}
#endif

}  // namespace

std::size_t closing_quote(std::string_view text, std::size_t i) {
  const std::size_t start = i;
  while (i < text.size()) {
    const void* q = std::memchr(text.data() + i, '"', text.size() - i);
    if (!q) return kNoClose;
    std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - text.data());
    std::size_t slashes = 0;
    while (at - slashes > start && text[at - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 0) return at;
    i = at + 1;
  }
  return kNoClose;
}

std::size_t match_close_bytewise(std::string_view text, std::size_t open) {
  State s;
  for (std::size_t i = open; i < text.size(); ++i)
    if (step(s, text[i])) return i + 1;
  return kNoClose;
}

// Built twice, chosen when the program loads: x86-64's baseline has no popcnt instruction, and
// the depth count then calls libgcc's (an eighth of the scan's time).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
std::size_t match_close(std::string_view text, std::size_t open) {
  State s;
  std::size_t i = open;
  const char* p = text.data();
#if defined(__SSE2__)
  std::uint64_t prev_escaped = 0;
  std::uint64_t in_string = 0;  // all ones inside a string at the end of the last block
  while (i + 64 <= text.size()) {
    Block b(p + i);
    std::uint64_t quotes = b.eq('"') & ~escaped_bytes(b.eq('\\'), prev_escaped);
    std::uint64_t strings = prefix_xor(quotes) ^ in_string;
    in_string = static_cast<std::uint64_t>(static_cast<std::int64_t>(strings) >> 63);
    std::uint64_t opens = b.eq_folded('{') & ~strings;
    std::uint64_t closes = b.eq_folded('}') & ~strings;
    if (static_cast<std::size_t>(std::popcount(closes)) < s.depth) {
      // The depth cannot reach 0 in this block: count, do not walk.
      s.depth += static_cast<std::size_t>(std::popcount(opens));
      s.depth -= static_cast<std::size_t>(std::popcount(closes));
    } else {
      for (std::uint64_t all = opens | closes; all; all &= all - 1) {
        int bit = std::countr_zero(all);
        if (opens >> bit & 1) ++s.depth;
        else if (--s.depth == 0) return i + static_cast<std::size_t>(bit) + 1;
      }
    }
    i += 64;
  }
  s.in_string = in_string != 0;
  s.escaped = prev_escaped != 0;
#endif
  for (; i < text.size(); ++i)
    if (step(s, p[i])) return i + 1;
  return kNoClose;
}

}  // namespace dg::ingest::json
