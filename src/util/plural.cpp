#include "src/util/plural.hpp"

namespace dg::util {

std::string thousands(std::int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string count_of(std::int64_t n, std::string_view singular, std::string_view plural) {
  std::string out = thousands(n);
  out += ' ';
  out += n == 1 ? singular : plural;
  return out;
}

}  // namespace dg::util
