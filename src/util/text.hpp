#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dg::util {

struct LineCol {
  int line = 1;
  int column = 1;
};
// 1-based line and column (in bytes) of a byte offset in `text`.
LineCol line_col(std::string_view text, std::size_t offset);

// Offset of the first invalid UTF-8 byte, or npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view text);
// Replaces every byte of an invalid UTF-8 sequence by '?', in place, keeping offsets. Returns
// how many bytes were replaced.
std::size_t repair_utf8_in_place(char* data, std::size_t size);
// A valid-UTF-8 copy (invalid bytes become U+FFFD).
std::string to_valid_utf8(std::string_view text);

std::string to_lower(std::string_view s);
std::string trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool starts_with_icase(std::string_view s, std::string_view prefix);
std::vector<std::string> split(std::string_view s, char sep);
// Collapses runs of white space to one space and trims: used for line-independent fingerprints.
std::string normalize_space(std::string_view s);
// Cuts to at most `max` bytes on a UTF-8 boundary, appending "…" when something was cut.
std::string truncate_utf8(std::string_view s, std::size_t max);

// Lowercase hex SHA-256.
std::string sha256_hex(std::string_view data);

}  // namespace dg::util
