#pragma once
// A small RFC 4180 reader: comma-separated fields, records ended by CRLF or LF, quoted fields
// that hold commas, line breaks and doubled quotes. Debian's C++ CSV parser (libfccp) does not
// allow line breaks inside quotes, which Python's csv module (and so bandit) writes.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dg::ingest::csv {

struct Record {
  std::vector<std::string> fields;
  std::size_t offset = 0;  // byte offset of the record's first character
  int line = 0;            // 1-based line the record starts on
};

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  // Reads the next record. False at the end of the text or on malformed input; then failed()
  // tells which, with error() and error_offset(). Blank lines are skipped.
  bool next(Record& rec);

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t error_offset() const { return error_offset_; }

 private:
  bool fail(std::size_t at, std::string message);
  // Steps over the line break at pos_ (CRLF, LF or a lone CR).
  void end_of_line();

  std::string_view text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::string error_;
  std::size_t error_offset_ = 0;
};

}  // namespace dg::ingest::csv
