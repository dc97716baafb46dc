#pragma once
#include <filesystem>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "src/util/error.hpp"

namespace dg::ingest {

// One report file in memory: its bytes with simdjson's zeroed padding past the end, a UTF-8
// byte-order mark skipped, and its name for every message about it.
struct Input {
  std::string name;
  std::string data;       // capacity() >= size() + SIMDJSON_PADDING, slack zeroed
  std::size_t bom = 0;    // bytes of BOM skipped at the start
  std::size_t repaired_utf8 = 0;  // invalid UTF-8 bytes replaced by '?' (see repair_utf8)

  std::string_view text() const { return std::string_view(data).substr(bom); }
  simdjson::padded_string_view padded() const {
    return simdjson::padded_string_view(data.data() + bom, data.size() - bom, data.capacity() - bom);
  }
  // An Input error at `offset` (in text()), with line and column filled in.
  util::Error error_at(std::size_t offset, std::string message) const;
  util::Error error(std::string message) const;

  // Replaces invalid UTF-8 by '?' in place (offsets unchanged). Scanners copy source lines and
  // package metadata into messages; one bad byte must not cost the whole report.
  void repair_utf8();
};

util::Expected<Input> load_input(const std::filesystem::path& path);
// For tests and stdin: wrap bytes already in memory.
Input make_input(std::string name, std::string_view bytes);

}  // namespace dg::ingest
