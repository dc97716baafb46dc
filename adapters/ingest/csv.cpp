#include "adapters/ingest/csv.hpp"

namespace dg::ingest::csv {

bool Reader::fail(std::size_t at, std::string message) {
  error_ = std::move(message);
  error_offset_ = at;
  pos_ = text_.size();
  return false;
}

void Reader::end_of_line() {
  if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
  if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
  ++line_;
}

bool Reader::next(Record& rec) {
  rec.fields.clear();
  if (failed()) return false;
  // Blank lines carry no record (Python's csv reader yields [] for them).
  while (pos_ < text_.size() && (text_[pos_] == '\r' || text_[pos_] == '\n')) end_of_line();
  if (pos_ >= text_.size()) return false;
  rec.offset = pos_;
  rec.line = line_;

  std::string field;
  for (;;) {
    field.clear();
    if (pos_ < text_.size() && text_[pos_] == '"') {
      std::size_t open = pos_++;
      int open_line = line_;
      for (;;) {
        std::size_t q = text_.find('"', pos_);
        if (q == std::string_view::npos) {
          line_ = open_line;
          return fail(open, "a quoted field is not closed before the end of the file");
        }
        std::string_view chunk = text_.substr(pos_, q - pos_);
        for (char c : chunk)
          if (c == '\n') ++line_;
        field.append(chunk);
        pos_ = q + 1;
        if (pos_ < text_.size() && text_[pos_] == '"') {  // "" is one quote
          field.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\r' && text_[pos_] != '\n')
        return fail(pos_, "unexpected character after a closing quote (expected a comma or the end of the line)");
    } else {
      std::size_t end = text_.find_first_of(",\r\n", pos_);
      if (end == std::string_view::npos) end = text_.size();
      field.assign(text_.substr(pos_, end - pos_));
      pos_ = end;
    }
    rec.fields.push_back(field);
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (pos_ < text_.size()) end_of_line();
    return true;
  }
}

}  // namespace dg::ingest::csv
