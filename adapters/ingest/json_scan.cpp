#include "adapters/ingest/json_scan.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
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

namespace sse2 {

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

#include "adapters/ingest/json_scan_blocks.inc"

}  // namespace sse2
#endif

#if defined(__x86_64__) && defined(__GNUC__)
// The same scan 64 bytes at a time in two AVX2 registers, with the string mask made by one
// carry-less multiplication: chosen when the CPU has them (json_scan_blocks.inc is the loop).
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,pclmul,popcnt,bmi"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,pclmul,popcnt,bmi")
#endif
namespace avx2 {

struct Block {
  __m256i lo, hi;
  explicit Block(const char* p)
      : lo(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))),
        hi(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32))) {}
  static std::uint64_t mask(__m256i a, __m256i b, char c) {
    const __m256i n = _mm256_set1_epi8(c);
    auto l = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, n)));
    auto h = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, n)));
    return static_cast<std::uint64_t>(h) << 32 | l;
  }
  std::uint64_t eq(char c) const { return mask(lo, hi, c); }
  std::uint64_t eq_folded(char c) const {
    const __m256i bit = _mm256_set1_epi8(0x20);
    return mask(_mm256_or_si256(lo, bit), _mm256_or_si256(hi, bit), c);
  }
};

inline std::uint64_t prefix_xor(std::uint64_t x) {
  const __m128i ones = _mm_set1_epi8(static_cast<char>(0xFF));
  return static_cast<std::uint64_t>(
      _mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<long long>(x)), ones, 0)));
}

#include "adapters/ingest/json_scan_blocks.inc"

}  // namespace avx2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
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

std::size_t match_close_portable(std::string_view text, std::size_t open) {
#if defined(__SSE2__)
  return sse2::match_close(text, open);
#else
  return match_close_bytewise(text, open);
#endif
}

// The scan is most of the check pass over a big report (json_pieces.cpp): the AVX2 kernel where
// the CPU has it, chosen once (one scan over 115 MB in memory: 12 ms, against 33 ms for SSE2).
std::size_t match_close(std::string_view text, std::size_t open) {
#if defined(__x86_64__) && defined(__GNUC__)
  using Kernel = std::size_t (*)(std::string_view, std::size_t);
  static const Kernel kernel = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") ? Kernel{avx2::match_close}
                                                                                 : Kernel{match_close_portable};
  }();
  return kernel(text, open);
#else
  return match_close_portable(text, open);
#endif
}

}  // namespace dg::ingest::json
