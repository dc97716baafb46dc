#pragma once
// Errors cross layers as values; only src/app turns an Error into an exit code.
#include <cstdint>
#include <expected>
#include <string>

namespace dg::util {

// The exit codes of DESIGN.md; an ErrorKind maps one to one onto them.
enum class ErrorKind : int {
  Usage = 2,     // bad flag, invalid dockgate.yml
  Input = 3,     // a report could not be read or recognized
  Step = 4,      // a tool is missing, crashed, timed out; an API is unreachable
  Internal = 70  // a bug
};

struct Error {
  ErrorKind kind = ErrorKind::Internal;
  std::string message;
  std::string file;          // the file the error is about, if any
  std::uint64_t offset = 0;  // byte offset in `file` (0 with line == 0: unknown)
  int line = 0;              // 1-based, 0 = unknown
  int column = 0;            // 1-based, 0 = unknown

  // "file:line:col: message" (or the parts that are known).
  std::string to_string() const;
};

template <class T>
using Expected = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message, std::string file = {}) {
  return std::unexpected(Error{kind, std::move(message), std::move(file)});
}

int exit_code(ErrorKind kind);

}  // namespace dg::util
