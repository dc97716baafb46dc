#pragma once
// JSON text appended straight to a string, for the writers' bulk (one object per finding): building
// an nlohmann::json per finding and dumping it was most of the time of `--json` on large reports
// (bench/README.md). Small envelopes still use nlohmann::json.
#include <string>
#include <string_view>
#include <vector>

namespace dg::report {

// Appends `s` as a JSON string, quotes included. Runs of plain ASCII are copied as they are;
// '"', '\\' and control characters are escaped as nlohmann::json does; bytes that are not valid
// UTF-8 become U+FFFD (nlohmann's error_handler_t::replace), so the output is always valid JSON.
void append_json_string(std::string& out, std::string_view s);

// Appends `v` exactly as nlohmann::json writes a double (its own shortest digits, ".0" on whole
// numbers, 0.0001 not 1e-04, null for NaN and infinity): the writers agree with its envelopes.
void append_json_real(std::string& out, double v);

// One JSON object written in place. Keys are written in the order they are given: callers give
// them sorted, as nlohmann::json (a std::map) writes them, so both writers agree byte for byte.
class JsonObject {
 public:
  explicit JsonObject(std::string& out);
  JsonObject(const JsonObject&) = delete;
  JsonObject& operator=(const JsonObject&) = delete;

  JsonObject& str(std::string_view key, std::string_view v);
  JsonObject& str_if(std::string_view key, std::string_view v);  // left out when empty
  JsonObject& num(std::string_view key, long long v);
  JsonObject& num_if(std::string_view key, long long v);  // left out when 0
  // append_json_real: the text nlohmann::json writes for `v`.
  JsonObject& real(std::string_view key, double v);
  JsonObject& boolean(std::string_view key, bool v);
  JsonObject& strings_if(std::string_view key, const std::vector<std::string>& v);  // left out when empty

  // A nested object under `key`; call close() on it. A nested object that got no member is
  // taken back out, key and all (the writers leave out empty sub-objects).
  JsonObject nested(std::string_view key);
  void close();

 private:
  JsonObject(std::string& out, std::size_t rollback, JsonObject* parent, bool parent_was_empty);
  void key(std::string_view k);
  std::string& out_;
  std::size_t rollback_ = 0;      // a nested object: where its key (and comma) started
  JsonObject* parent_ = nullptr;  // a nested object: the object it is a member of
  bool parent_was_empty_ = false;
  bool empty_ = true;
};

}  // namespace dg::report
