#pragma once
// Scanner text is untrusted: every writer passes it through one of these before it lands in a
// format where it could mean something (Markdown, XML, workflow commands).
#include <string>
#include <string_view>

namespace dg::report {

// Valid UTF-8 with every character XML 1.0 forbids removed (C0 controls but tab/LF/CR, U+FFFE,
// U+FFFF, lone surrogates). pugixml escapes markup but passes these through, and one of them
// makes the whole file unreadable to a JUnit consumer.
std::string xml_clean(std::string_view s);

// One line of plain text: valid UTF-8, ANSI escape sequences and control characters removed,
// runs of white space (newlines included) collapsed to one space.
std::string one_line(std::string_view s);

// Inline Markdown that renders as the literal text on GitHub and GitLab, safe inside a table
// cell and inside <summary>: HTML and Markdown punctuation escaped, newlines folded, @mentions
// and #123 / !123 references broken with a zero-width space so nobody is pinged or linked.
std::string md_text(std::string_view s, std::size_t max_bytes = 300);

// A fenced code block that the content cannot close: the fence is longer than any backtick run
// in it. Control characters and ANSI colors are removed; lines are kept.
std::string md_code_block(std::string_view content, std::string_view info = "text");

// A plain http(s) URL that is safe as a Markdown link target and as a SARIF URI: no spaces,
// quotes, angle brackets, parentheses or control characters.
bool safe_url(std::string_view u);

// A tool's log as plain text: valid UTF-8, ANSI colors and control characters removed, lines kept.
std::string log_text(std::string_view s);

// HTML text and attribute values (& < > " ' escaped). html_text folds the text to one line (and
// cuts it at max_bytes when given); html_block keeps the lines of a log for a <pre>.
std::string html_text(std::string_view s, std::size_t max_bytes = 0);
std::string html_block(std::string_view s);

// JSON text made safe inside <script type="application/json">: '<', '>' and '&' become \u003c,
// \u003e, \u0026 (so no "</script>" or "<!--" can end or bend the element), U+2028 and U+2029
// become \u2028 and \u2029 (line terminators to older JavaScript parsers). Still the same JSON.
std::string json_for_script(std::string_view json);

// GitHub workflow command escaping: the data part (%, CR, LF) and property values (also : and ,).
std::string gh_data(std::string_view s);
std::string gh_property(std::string_view s);

}  // namespace dg::report
