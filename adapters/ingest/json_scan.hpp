#pragma once
// Cutting JSON text into values without parsing it: where a value that opens with '{' or '['
// closes. Strings are told apart the way simdjson's first stage tells them apart (a quote after
// an odd run of backslashes is escaped), so on valid JSON the cut is the document's structure;
// on anything else it is some cut, and the pieces it yields are parsed and checked by simdjson
// (json_pieces.hpp), which reports the error.
#include <cstddef>
#include <string_view>

namespace dg::ingest::json {

inline constexpr std::size_t kNoClose = std::string_view::npos;

// The offset just past the bracket that closes the one at `open` (text[open] is '{' or '['):
// every '{' and '[' outside strings counts against every '}' and ']'. kNoClose when the text
// ends first. Reads nothing outside `text`; 64 bytes at a time, with AVX2 where the CPU has it.
std::size_t match_close(std::string_view text, std::size_t open);

// The same without AVX2 (SSE2, or a byte at a time): what a CPU without it runs.
std::size_t match_close_portable(std::string_view text, std::size_t open);

// The same, one byte at a time: the reference the block scan is tested against.
std::size_t match_close_bytewise(std::string_view text, std::size_t open);

// The offset of the quote that closes a string whose bytes start at `i` (just past its opening
// quote): the next quote not escaped by an odd run of backslashes. kNoClose when the text ends
// first. It jumps from quote to quote with memchr: strings are most of a report's bytes.
std::size_t closing_quote(std::string_view text, std::size_t i);

// JSON's white space: space, tab, line feed, carriage return.
inline std::size_t skip_space(std::string_view text, std::size_t i) {
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  return i;
}

}  // namespace dg::ingest::json
