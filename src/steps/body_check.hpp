#pragma once
// What a smoke test's response body must hold: `expect-body` is a substring, or, written /like
// this/, a POSIX extended regular expression (grep -E syntax, the glue it replaces:
// `curl -s URL | grep -Eq 'ok|ready'`). libc's matcher is iterative; std::regex recurses once per
// byte and overflowed the stack on a 100 KB body.
#include <expected>
#include <memory>
#include <string>
#include <string_view>

namespace dg::steps {

class BodyCheck {
 public:
  // An error names the expression and what regcomp said of it.
  static std::expected<BodyCheck, std::string> parse(const std::string& expect_body);
  bool matches(std::string_view body) const;
  bool is_regex() const { return re_ != nullptr; }

 private:
  struct Regex;
  std::string text_;
  std::shared_ptr<Regex> re_;
};

}  // namespace dg::steps
