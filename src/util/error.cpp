#include "src/util/error.hpp"

namespace dg::util {

std::string Error::to_string() const {
  std::string out;
  if (!file.empty()) {
    out += file;
    if (line > 0) {
      out += ':' + std::to_string(line);
      if (column > 0) out += ':' + std::to_string(column);
    } else if (offset > 0) {
      out += " (byte " + std::to_string(offset) + ")";
    }
    out += ": ";
  }
  out += message;
  return out;
}

int exit_code(ErrorKind kind) { return static_cast<int>(kind); }

}  // namespace dg::util
