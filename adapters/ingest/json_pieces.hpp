#pragma once
// A report that is one long array of findings under its root object (grype's "matches"), read
// a piece at a time. Parsed as one document, simdjson first indexes all of it: four bytes for
// every structural character, half the text's size again for grype, beside the text. Here the
// root object is cut into its members and that array into its elements (json_scan.hpp), and
// each piece is parsed as a document of its own, in place: the index is one piece's, reused,
// and the text behind the reader can be given back (Input::release_before) while it reads.
//
// A root that is not an object of objects and arrays (a scalar member, a key with an escape,
// anything malformed between the pieces) is parsed whole instead, with the same callbacks, so
// what a reader sees, and every error message, is the same either way.
#include <functional>
#include <optional>
#include <string_view>

#include "adapters/ingest/json.hpp"

namespace dg::ingest::json {

struct Pieces {
  std::string_view array;                                    // the root member read element by element
  std::function<void(od::value element)> element;             // each element of it, in order
  std::function<void(std::string_view key, od::value value)> member;  // every other root member
  std::function<void(bool array_seen, ParsedReport& out)> finish;     // after the last member
};

// The size of the largest piece `text` is read in (what simdjson indexes at once), or nullopt
// when it is read whole.
std::optional<std::size_t> largest_piece(std::string_view text, std::string_view array);

// `what` names the format in messages ("grype JSON"). `array` may be null (no elements); any
// other non-array is a shape error, as json::optional_array says it.
ParseResult parse_json_pieces(const Input& in, std::string_view what, const Pieces& pieces);

}  // namespace dg::ingest::json
