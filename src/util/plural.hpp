#pragma once
// Counts in words people read: "1 high finding", "5,738 high findings".
#include <cstdint>
#include <string>
#include <string_view>

namespace dg::util {

// 4538 → "4,538" (a comma every three digits, as the reports' readers expect in English).
std::string thousands(std::int64_t n);

// "1 finding", "2 findings", "1,180 findings": `n` with thousands separators, then the singular
// for exactly one and the plural otherwise.
std::string count_of(std::int64_t n, std::string_view singular, std::string_view plural);

}  // namespace dg::util
