#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "src/util/error.hpp"

namespace dg::ingest {

// One report file in memory: its bytes with simdjson's padding past the end, a UTF-8 byte-order
// mark skipped, and its name for every message about it.
//
// A big regular file is read into huge pages by several threads, or mapped (private, read-only
// until repaired) where huge pages are off. Either way a parser that is past a part of it can
// give those pages back (release_before), so the report text does not stay in memory beside
// the findings made of it: a copy's pages are replaced by a mapping of the file. Pages given
// back come back from the file if read again (an error message counting lines).
class Input {
 public:
  std::string name;
  std::size_t bom = 0;            // bytes of BOM skipped at the start
  std::size_t repaired_utf8 = 0;  // invalid UTF-8 bytes replaced by '?' (see repair_utf8)
  bool utf8_checked = false;      // validated (and repaired) already: parsers need not do it again
  std::string utf8_warning;       // set by check_utf8 when it repaired something

  std::string_view text() const { return {base_ + bom, size_ - bom}; }
  simdjson::padded_string_view padded() const {
    return simdjson::padded_string_view(base_ + bom, size_ - bom, capacity_ - bom);
  }

  // An Input error at `offset` (in text()), with line and column filled in.
  util::Error error_at(std::size_t offset, std::string message) const;
  util::Error error(std::string message) const;

  // Replaces invalid UTF-8 by '?' in place (offsets unchanged). Scanners copy source lines and
  // package metadata into messages; one bad byte must not cost the whole report. A repaired
  // mapping keeps all its pages from then on (they differ from the file).
  void repair_utf8();

  // Validates the whole text once (simdjson's UTF-8 check) and repairs it when invalid, with a
  // warning naming the first bad byte (kept in utf8_warning, also returned); "" when valid or
  // already checked. JSON parsers call it only when simdjson's first stage, which validates
  // UTF-8 as it indexes, said UTF8_ERROR: a valid 100 MB report is not read one more time.
  const std::string& check_utf8();

  // The parser will not read text() before `offset` again (except for an error message):
  // a mapped file gives back the whole pages before it, in steps of a few MB.
  void release_before(std::size_t offset) const;
  // The same for the whole pages in [from, to) only, keeping no state: for a thread that reads
  // a part of the text while another reads the part before it (json_pieces.cpp). Returns how
  // far the text is given back now: the next call's `from` (`from` when nothing was).
  std::size_t release_between(std::size_t from, std::size_t to) const;

  // The whole text has been scanned once (the UTF-8 check, simdjson's first stage) and is now
  // read front to back: a mapped file gives back every page, so that the text is not resident
  // beside the structural index of all of it. Pages come back from the page cache as the parser
  // reaches them, and go again through release_before.
  void release_scanned() const;

  // A big file is mapped, or read whole into huge pages (copied) where the kernel gives them:
  // either way its pages can be given back, and come back from the file when read again.
  bool mapped() const;
  bool copied() const;

  // Where `p` points in text(): a pointer into the text, or into the copy of a part of it that a
  // parser reads (alias), gives its offset; nullopt for any other pointer.
  std::optional<std::size_t> offset_of(const char* p) const;
  // From now on, on this thread, pointers in [copy, copy + size) stand for text() from `at` on;
  // nullptr: none. (json_pieces.cpp copies a scalar into a document of its own; its errors name
  // the file. Per thread: threads reading parts of one report each have their own copy.)
  void alias(const char* copy, std::size_t size, std::size_t at) const;

  struct Storage;  // the bytes or the mapping, shared by copies of this Input (input.cpp)

 private:
  friend util::Expected<Input> load_input(const std::filesystem::path& path);
  friend Input make_input(std::string name, std::string_view bytes);
  std::shared_ptr<Storage> storage_;
  char* base_ = nullptr;
  std::size_t size_ = 0, capacity_ = 0;
  mutable std::size_t released_ = 0;  // bytes from base_ already given back
};

util::Expected<Input> load_input(const std::filesystem::path& path);
// Whether a big file may be read into huge pages (the default) or is always mapped.
// Process-wide; tests switch it to cover both ways.
void set_copy_big_files(bool on);
// For tests and stdin: wrap bytes already in memory.
Input make_input(std::string name, std::string_view bytes);

}  // namespace dg::ingest
