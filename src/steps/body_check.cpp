#include "src/steps/body_check.hpp"

#include <regex.h>

namespace dg::steps {

struct BodyCheck::Regex {
  regex_t re{};
  ~Regex() { regfree(&re); }
};

std::expected<BodyCheck, std::string> BodyCheck::parse(const std::string& expect_body) {
  BodyCheck check;
  if (expect_body.size() < 2 || expect_body.front() != '/' || expect_body.back() != '/') {
    check.text_ = expect_body;
    return check;
  }
  std::string pattern = expect_body.substr(1, expect_body.size() - 2);
  auto re = std::make_shared<Regex>();
  if (int rc = regcomp(&re->re, pattern.c_str(), REG_EXTENDED | REG_NOSUB); rc != 0) {
    char why[256];
    regerror(rc, &re->re, why, sizeof why);
    // regcomp failed: nothing to free, and ~Regex must not free an uninitialized regex_t.
    re->re = regex_t{};
    return std::unexpected("expect-body " + expect_body + " is not a valid extended regular expression (grep -E syntax): " + why);
  }
  check.re_ = std::move(re);
  return check;
}

bool BodyCheck::matches(std::string_view body) const {
  if (!re_) return text_.empty() || body.find(text_) != std::string_view::npos;
  // REG_STARTEND: the body's own length, so a NUL byte in it does not end the text early.
  regmatch_t range[1];
  range[0].rm_so = 0;
  range[0].rm_eo = static_cast<regoff_t>(body.size());
  return regexec(&re_->re, body.empty() ? "" : body.data(), 1, range, REG_STARTEND) == 0;
}

}  // namespace dg::steps
