#include "adapters/ingest/input.hpp"

#include <cstring>

#include "src/util/file.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

static void finish(Input& in) {
  auto t = std::string_view(in.data);
  if (t.size() >= 3 && t.substr(0, 3) == "\xEF\xBB\xBF") in.bom = 3;
}

util::Expected<Input> load_input(const std::filesystem::path& path) {
  auto bytes = util::read_file(path, simdjson::SIMDJSON_PADDING);
  if (!bytes) return std::unexpected(bytes.error());
  Input in;
  in.name = path.string();
  in.data = std::move(*bytes);
  finish(in);
  return in;
}

Input make_input(std::string name, std::string_view bytes) {
  Input in;
  in.name = std::move(name);
  in.data.reserve(bytes.size() + simdjson::SIMDJSON_PADDING);
  in.data.assign(bytes);
  std::memset(in.data.data() + in.data.size(), 0, in.data.capacity() - in.data.size());
  finish(in);
  return in;
}

util::Error Input::error_at(std::size_t offset, std::string message) const {
  util::Error e{util::ErrorKind::Input, std::move(message), name};
  e.offset = offset + bom;
  auto lc = util::line_col(text(), offset);
  e.line = lc.line;
  e.column = lc.column;
  return e;
}

util::Error Input::error(std::string message) const {
  return util::Error{util::ErrorKind::Input, std::move(message), name};
}

void Input::repair_utf8() { repaired_utf8 += util::repair_utf8_in_place(data.data() + bom, data.size() - bom); }

}  // namespace dg::ingest
