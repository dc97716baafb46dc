#include "src/report/line_hash.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>

namespace dg::report {
namespace {

// codeql-action reads the file as UTF-8 into JavaScript strings and hashes UTF-16 code units;
// invalid bytes become U+FFFD as Node's decoder makes them.
template <class F>
void utf16_units(std::string_view s, F&& emit) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0xFFFD;
    std::size_t len = 1;
    auto cont = [&](std::size_t k) { return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80; };
    auto at = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
    if (c < 0x80) {
      cp = c;
    } else if (c >= 0xC2 && c < 0xE0 && cont(1)) {
      cp = ((c & 0x1Fu) << 6) | at(1);
      len = 2;
    } else if (c >= 0xE0 && c < 0xF0 && cont(1) && cont(2)) {
      cp = ((c & 0x0Fu) << 12) | (at(1) << 6) | at(2);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) len = 3;
      else cp = 0xFFFD;
    } else if (c >= 0xF0 && c < 0xF5 && cont(1) && cont(2) && cont(3)) {
      cp = ((c & 0x07u) << 18) | (at(1) << 12) | (at(2) << 6) | at(3);
      if (cp >= 0x10000 && cp <= 0x10FFFF) len = 4;
      else cp = 0xFFFD;
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      emit(0xD800 + (cp >> 10));
      emit(0xDC00 + (cp & 0x3FF));
    } else {
      emit(cp);
    }
  }
}

}  // namespace

std::vector<std::string> line_hashes(std::string_view text) {
  // The names and steps follow fingerprints.ts so the two can be read side by side. Its Long
  // arithmetic is 64-bit two's complement, which wraps exactly like uint64_t.
  constexpr int kBlock = 100;
  constexpr std::uint64_t kMod = 37;
  constexpr std::uint32_t kTab = '\t', kSpace = ' ', kLf = '\n', kCr = '\r', kEof = 65535;
  std::uint64_t first_mod = 1;
  for (int i = 0; i < kBlock; ++i) first_mod *= kMod;

  std::array<std::uint32_t, kBlock> window{};
  std::array<long, kBlock> line_numbers;
  line_numbers.fill(-1);
  std::uint64_t hash_raw = 0;
  int index = 0;
  long line_number = 0;
  bool line_start = true, prev_cr = false;
  std::map<std::string, int> hash_counts;
  std::vector<std::string> out;

  auto output_hash = [&] {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(hash_raw));
    std::string value = buf;
    int n = ++hash_counts[value];
    auto line = static_cast<std::size_t>(line_numbers[index]);
    if (out.size() < line) out.resize(line);
    out[line - 1] = value + ":" + std::to_string(n);
    line_numbers[index] = -1;
  };
  auto update_hash = [&](std::uint32_t current) {
    std::uint32_t begin = window[index];
    window[index] = current;
    hash_raw = kMod * hash_raw + current - first_mod * begin;
    index = (index + 1) % kBlock;
  };
  auto process = [&](std::uint32_t current) {
    if (current == kSpace || current == kTab || (prev_cr && current == kLf)) {
      prev_cr = false;
      return;
    }
    if (current == kCr) {
      current = kLf;
      prev_cr = true;
    } else {
      prev_cr = false;
    }
    if (line_numbers[index] != -1) output_hash();
    if (line_start) {
      line_start = false;
      line_numbers[index] = ++line_number;
    }
    if (current == kLf) line_start = true;
    update_hash(current);
  };

  utf16_units(text, process);
  process(kEof);
  for (int i = 0; i < kBlock; ++i) {
    if (line_numbers[index] != -1) output_hash();
    update_hash(0);
  }
  return out;
}

}  // namespace dg::report
