#pragma once
// Whether a string looks like a credential, so messages can leave it out: a value pasted where a
// name was expected must not be echoed into a CI log.
#include <string_view>

namespace dg::util {

// Known prefixes (GitHub ghp_/gho_/ghu_/ghs_/ghr_/github_pat_, GitLab glpat-/gldt-/glptt-, Slack
// xox*-), 32+ hex digits, or 24+ characters of base64 mixing lower case, upper case and digits
// (an environment variable name is upper case by convention).
bool looks_like_token(std::string_view s);

// A token with a control character (a CR/LF, tab, DEL; often a stray newline from pasting the
// secret) is never sent: a line break in a header injects headers of its own, and the part after
// it escapes redaction. Every place that reads a token (publish, doctor) refuses it with this.
bool has_control_chars(std::string_view token);

}  // namespace dg::util
