#pragma once
// gzip through libarchive (already linked for image layers).
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "src/util/error.hpp"

namespace dg::util {

// The size `data` has once gzipped: GitHub's SARIF upload limit (10 MB) is on the gzipped file,
// as codeql-action sends it (upload-lib.ts: zlib.gzipSync before the size check). `level` is
// zlib's: 6 is its default (what the action uses), 1 the fastest.
Expected<std::size_t> gzip_size(std::string_view data, int level = 6);

// gzip_size over data given in pieces (a log written as it is made). The compression runs on a
// thread of its own, beside whatever makes the pieces.
class GzipCounter {
 public:
  explicit GzipCounter(int level = 6);
  ~GzipCounter();
  GzipCounter(const GzipCounter&) = delete;
  GzipCounter& operator=(const GzipCounter&) = delete;
  void add(std::string_view data);
  // Takes `piece`'s text without a copy and leaves it empty, often with the buffer of a piece
  // compressed before (its capacity kept): the writer's buffer for its next piece.
  void take(std::string& piece);
  Expected<std::size_t> finish();  // the gzipped size of everything added; call once

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Whether `data` starts with the gzip magic bytes.
bool is_gzip(std::string_view data);
// The decompressed bytes of a gzip stream; more than `max_bytes` of them is an Input error (a
// small file must not unpack into gigabytes). Errors name no file: the caller adds it.
Expected<std::string> gunzip(std::string_view data, std::size_t max_bytes);

}  // namespace dg::util
