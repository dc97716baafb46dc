#include "src/util/token_like.hpp"

#include <algorithm>
#include <cctype>

namespace dg::util {

bool looks_like_token(std::string_view s) {
  static constexpr std::string_view prefixes[] = {"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
                                                  "glpat-", "gldt-", "glptt-", "glrt-", "xoxb-", "xoxp-"};
  for (auto p : prefixes)
    if (s.size() > p.size() && s.starts_with(p)) return true;
  auto all = [&](auto pred) { return std::all_of(s.begin(), s.end(), [&](unsigned char c) { return pred(c); }); };
  auto any = [&](auto pred) { return std::any_of(s.begin(), s.end(), [&](unsigned char c) { return pred(c); }); };
  if (s.size() >= 32 && all([](unsigned char c) { return std::isxdigit(c) != 0; })) return true;
  bool base64 = all([](unsigned char c) { return std::isalnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_'; });
  return s.size() >= 24 && base64 && any([](unsigned char c) { return std::islower(c) != 0; }) &&
         any([](unsigned char c) { return std::isupper(c) != 0; }) && any([](unsigned char c) { return std::isdigit(c) != 0; });
}

bool has_control_chars(std::string_view token) {
  return std::any_of(token.begin(), token.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace dg::util
