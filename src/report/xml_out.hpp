#pragma once
// XML text appended straight to a string, for the JUnit writer: a pugixml document per run
// (and xml_clean's copy of every value before it) was most of the time of `--junit` on a large
// SARIF log (bench/README.md). The escaping is byte for byte what pugixml's save() wrote.
#include <string>
#include <string_view>

namespace dg::report {

// Character data (between tags): '&', '<' and '>' escaped; tab, LF and CR kept as they are.
// Bytes that are not valid UTF-8 become U+FFFD and every character XML 1.0 forbids (C0 controls
// but tab/LF/CR, U+FFFE, U+FFFF) is dropped, so the file always parses (xml_clean's rules).
void append_xml_text(std::string& out, std::string_view s);

// An attribute value, without the quotes: '&', '<' and '"' escaped, and tab, LF and CR as
// character references (&#09; &#10; &#13;), which an XML reader keeps (a raw newline in an
// attribute is read back as a space). Same UTF-8 and forbidden-character rules as the text.
void append_xml_attr(std::string& out, std::string_view s);

}  // namespace dg::report
