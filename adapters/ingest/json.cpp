#include "adapters/ingest/json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "src/util/text.hpp"

namespace dg::ingest::json {

std::string_view type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "a value";
}

std::size_t offset_of(const Input& in, od::value& v) { return in.offset_of(v.raw_json_token().data()).value_or(0); }

std::string describe(simdjson::error_code code) {
  switch (code) {
    case simdjson::EMPTY: return "the file is empty";
    case simdjson::UNCLOSED_STRING: return "truncated JSON: a string is not closed";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT: return "truncated JSON: the document ends inside an array or object";
    case simdjson::TAPE_ERROR: return "malformed JSON (unbalanced brackets or a missing value)";
    case simdjson::TRAILING_CONTENT: return "more than one JSON document in the file (trailing content)";
    case simdjson::UTF8_ERROR: return "invalid UTF-8";
    case simdjson::INCORRECT_TYPE: return "a value has the wrong JSON type";
    case simdjson::SCALAR_DOCUMENT_AS_VALUE: return "the document is a single scalar, not an object or array";
    case simdjson::DEPTH_ERROR: return "JSON nested too deeply";
    case simdjson::CAPACITY: return "the file is too large to parse";
    default: return std::string("malformed JSON: ") + simdjson::error_message(code);
  }
}

ParseResult parse_json(const Input& in_const, std::string_view what,
                       const std::function<void(od::value root, ParsedReport& out)>& body) {
  // repair_utf8 rewrites bytes in place and keeps offsets; Input stays logically the same file.
  Input& in = const_cast<Input&>(in_const);
  ParsedReport out;
  auto text = in.text();
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)  // no copy of a 500 MB input
    return std::unexpected(in.error_at(text.size(), "the file is empty (expected " + std::string(what) + ")"));
  // One parser per call: the On-Demand parser keeps its buffers for the document's life.
  od::parser parser;
  od::document doc;
  auto err = parser.iterate(in.padded()).get(doc);
  if (err == simdjson::UTF8_ERROR && !in.utf8_checked) {
    // Stage 1 validates UTF-8 as it indexes; only a file that fails it is read again to repair.
    if (auto& warning = in.check_utf8(); !warning.empty()) out.warnings.push_back(warning);
    err = parser.iterate(in.padded()).get(doc);
  }
  if (err) return std::unexpected(in.error_at(err == simdjson::UNCLOSED_STRING ? text.size() : 0, describe(err)));
  in.release_scanned();
  auto location = [&]() -> std::size_t {
    const char* p = nullptr;
    if (doc.current_location().get(p) == simdjson::SUCCESS && p) return in.offset_of(p).value_or(text.size());
    return text.size();
  };
  od::value root;
  if (auto e = doc.get_value().get(root))
    return std::unexpected(in.error_at(location(), describe(e) + " (expected " + std::string(what) + ")"));
  auto result = guarded(in, what, location, [&](ParsedReport& o) {
    o = std::move(out);
    body(root, o);
  });
  if (!result) return result;
  // After the root value the iterator must be at the end; anything else is a second document.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS && rest)
    return std::unexpected(in.error_at(location(), describe(simdjson::TRAILING_CONTENT)));
  return result;
}

ParseResult guarded(const Input& in, std::string_view what, const std::function<std::size_t()>& where,
                    const std::function<void(ParsedReport& out)>& fn) {
  ParsedReport out;
  try {
    fn(out);
  } catch (const JsonError& e) {
    return std::unexpected(in.error_at(e.offset, std::string(what) + ": " + e.what()));
  } catch (const simdjson::simdjson_error& e) {
    return std::unexpected(in.error_at(where(), std::string(what) + ": " + describe(e.error())));
  } catch (const std::exception& e) {
    return std::unexpected(in.error_at(where(), std::string(what) + ": " + e.what()));
  }
  return out;
}

static JsonError shape(const Input& in, od::value& v, std::string_view field, std::string_view expected) {
  od::json_type t{};
  std::string found = v.type().get(t) ? "an invalid value" : std::string(type_name(t));
  return JsonError(offset_of(in, v), "\"" + std::string(field) + "\" is " + found + ", expected " +
                                         std::string(expected));
}

bool is_null(od::value& v) {
  // The type first: a piece's root value (json_pieces.hpp) is an object or an array, and
  // simdjson's is_null() assumes a value below the root.
  od::json_type t{};
  if (v.type().get(t) || t != od::json_type::null) return false;
  bool n = false;
  return !v.is_null().get(n) && n;
}

std::string_view str(const Input& in, od::value v, std::string_view field) {
  od::json_type t;
  if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
  switch (t) {
    case od::json_type::string: {
      // Most strings hold no escape: a view into the input itself, which outlives the parse,
      // instead of a copy into simdjson's string buffer (that buffer grows with every string
      // read and was a fifth of the peak memory on a 100 MB report).
      std::string_view tok = v.raw_json_token();
      while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\n' || tok.back() == '\r' || tok.back() == '\t'))
        tok.remove_suffix(1);
      if (tok.size() >= 2 && tok.front() == '"' && tok.back() == '"' &&
          tok.find('\\', 1) == std::string_view::npos)
        return tok.substr(1, tok.size() - 2);
      return v.get_string().value();
    }
    case od::json_type::null: (void)is_null(v); return {};
    case od::json_type::number:
    case od::json_type::boolean: {
      // The raw token runs up to the next token, white space included.
      std::string_view tok = v.raw_json_token();
      while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\n' || tok.back() == '\r' || tok.back() == '\t'))
        tok.remove_suffix(1);
      return tok;
    }
    default: throw shape(in, v, field, "a string");
  }
}

std::string string(const Input& in, od::value v, std::string_view field) { return std::string(str(in, v, field)); }

double number(const Input& in, od::value v, std::string_view field) {
  od::json_type t;
  if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
  switch (t) {
    case od::json_type::number: {
      // 1e400 or a 30-digit integer in a field we barely use must not cost the report.
      double d = 0;
      if (v.get_double().get(d)) return 0;
      return d;
    }
    case od::json_type::null: (void)is_null(v); return 0;
    case od::json_type::string: {
      std::string_view s = v.get_string().value();
      double d = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      (void)p;
      if (ec != std::errc()) return 0;
      return d;
    }
    default: throw shape(in, v, field, "a number");
  }
}

std::int64_t integer(const Input& in, od::value v, std::string_view field) {
  double d = number(in, v, field);
  // Converting an out-of-range double is undefined behaviour; reports are untrusted.
  if (!std::isfinite(d)) return 0;
  if (d <= static_cast<double>(std::numeric_limits<std::int64_t>::min())) return std::numeric_limits<std::int64_t>::min();
  if (d >= static_cast<double>(std::numeric_limits<std::int64_t>::max())) return std::numeric_limits<std::int64_t>::max();
  return static_cast<std::int64_t>(d);
}

bool boolean(const Input& in, od::value v, std::string_view field) {
  od::json_type t;
  if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
  if (t == od::json_type::boolean) return v.get_bool().value();
  if (t == od::json_type::null) { (void)is_null(v); return false; }
  if (t == od::json_type::string) return util::iequals(v.get_string().value(), "true");
  throw shape(in, v, field, "a boolean");
}

od::object object(const Input& in, od::value v, std::string_view field) {
  od::json_type t;
  if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
  if (t != od::json_type::object) throw shape(in, v, field, "an object");
  return v.get_object().value();
}

od::array array(const Input& in, od::value v, std::string_view field) {
  od::json_type t;
  if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
  if (t != od::json_type::array) throw shape(in, v, field, "an array");
  return v.get_array().value();
}

bool optional_array(const Input& in, od::value v, std::string_view field, od::array& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) throw simdjson::simdjson_error(e);
  if (t == od::json_type::null) { (void)is_null(v); return false; }
  if (t != od::json_type::array) throw shape(in, v, field, "an array");
  out = v.get_array().value();
  return true;
}

std::size_t expected_findings(std::string_view text) { return text.size() / 1024 + 16; }

}  // namespace dg::ingest::json
