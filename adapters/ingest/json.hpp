#pragma once
// Helpers for parsers over simdjson's On-Demand API: one forward pass, nothing kept but what the
// model needs. Inside a parser, simdjson errors and JsonError are thrown; parse_json() catches
// them at the parser boundary and turns them into an Input error with file:line:col.
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "adapters/ingest/report.hpp"

namespace dg::ingest::json {

namespace od = simdjson::ondemand;

// A shape error found by a parser ("Results is a string, expected an array").
struct JsonError : std::runtime_error {
  std::size_t offset;
  JsonError(std::size_t off, const std::string& msg) : std::runtime_error(msg), offset(off) {}
};

// Runs `body` on the root value (object or array) of `in`, then checks that nothing follows the
// document (concatenated JSON documents are an error). Invalid UTF-8 is repaired (once simdjson's
// first stage has found it), with a warning, so one bad byte in a message does not lose the report.
// `what` names the format in messages ("trivy JSON").
ParseResult parse_json(const Input& in, std::string_view what,
                       const std::function<void(od::value root, ParsedReport& out)>& body);

// Runs `fn` and turns what a parser throws into an Input error with file:line:col: a JsonError
// at its offset, simdjson's errors at `where()` (the parser's position). parse_json's body and
// parse_json_pieces run in it.
ParseResult guarded(const Input& in, std::string_view what, const std::function<std::size_t()>& where,
                    const std::function<void(ParsedReport& out)>& fn);

// What a simdjson error code means to a user ("truncated JSON: a string is not closed").
std::string describe(simdjson::error_code code);

// A field's key as written: a view into the input when it holds no escape (every key a report
// writes), simdjson's unescaped copy otherwise. Unescaping copied every key into simdjson's
// string buffer: 9 % of reading a trivy report. Stage 1 has checked that the key's string is
// closed, so the scan stops at its quote.
inline std::string_view key(od::field& f) {
  const char* p = f.key().raw();
  const char* q = p;
  while (*q != '"' && *q != '\\') ++q;
  if (*q == '"') return {p, static_cast<std::size_t>(q - p)};
  return f.unescaped_key().value();
}
// As iterating an object yields them: an error there is thrown, as the implicit conversion did.
inline std::string_view key(simdjson::simdjson_result<od::field>& f) {
  if (f.error()) throw simdjson::simdjson_error(f.error());
  return key(f.value_unsafe());
}

// Byte offset of a value in the input (for error messages); the parser passes its Input.
std::size_t offset_of(const Input& in, od::value& v);

// Lenient scalar readers: null reads as empty / 0; a number where a string is expected reads as
// its JSON text (grype's schemaVersion is a number in some versions, a string in others).
// Objects and arrays where a scalar is expected are shape errors naming `field`.
std::string_view str(const Input& in, od::value v, std::string_view field);
std::string string(const Input& in, od::value v, std::string_view field);
double number(const Input& in, od::value v, std::string_view field);  // also "7.5"
std::int64_t integer(const Input& in, od::value v, std::string_view field);
bool boolean(const Input& in, od::value v, std::string_view field);
bool is_null(od::value& v);

// Requires an object / array, or throws a shape error naming `field` and what it found.
od::object object(const Input& in, od::value v, std::string_view field);
od::array array(const Input& in, od::value v, std::string_view field);
// Like array(), but null reads as an empty array (trivy writes `"Results": null`).
// Returns false for null, so: `if (od::array a; json::optional_array(in, v, "X", a)) for (...)`.
bool optional_array(const Input& in, od::value v, std::string_view field, od::array& out);

std::string_view type_name(od::json_type t);

// How many findings to reserve room for, from the report's size alone. Real trivy and grype
// reports take 1.6 to 3.5 KB per finding, so one per KiB is seldom too few (the vector then grows
// by doubling) and, when too many, costs address space only: pages never written are never
// faulted in. A Finding is large; growing a vector of 45,000 of them by doubling moves ~80 MB.
// (Counting a key through the text was a whole pass over it: 12 % of gating a 57 MB report.)
std::size_t expected_findings(std::string_view text);

}  // namespace dg::ingest::json
