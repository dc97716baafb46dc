#pragma once
// Streams one layer tar (plain, gzip or zstd) and keeps only its entry list: names, sizes and
// types. File contents are skipped, except a few small files the config checks need
// (os-release). Nothing is extracted and no layer is held in memory.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "src/steps/image/image.hpp"
#include "src/util/error.hpp"

namespace dg::steps::image {

// Bounds for untrusted layers.
inline constexpr std::uint64_t kMaxLayerEntries = 5'000'000;
inline constexpr std::uint64_t kMaxSmallFile = std::uint64_t{64} * 1024;
// No real image comes near this; a tar header can claim up to 8 EiB per entry, and two such
// entries wrapped a 64-bit sum around to "10 B". Sums of sizes stop at this bound.
inline constexpr std::uint64_t kMaxImageBytes = 1ull << 40;  // 1 TiB

// total += n, false (total unchanged) when the result would pass kMaxImageBytes.
inline bool add_bytes(std::uint64_t& total, std::uint64_t n) {
  if (n > kMaxImageBytes || total > kMaxImageBytes - n) return false;
  total += n;
  return true;
}

// Returns the next chunk of the layer blob: bytes read (0 at the end, <0 on error) and the
// chunk in *buf. The chunk stays valid until the next call.
using ChunkReader = std::function<std::int64_t(const void** buf)>;

// A layer blob on disk: a regular file (a FIFO or device is an Input error, never a hang), read
// once, and when `digest` is given ("sha256:…") hashed while it is read: a blob that does not
// hash to its digest is an Input error naming the blob.
util::Expected<LayerContents> read_layer_file(const std::filesystem::path& blob, const std::string& digest = {});
util::Expected<LayerContents> read_layer_stream(const ChunkReader& read, const std::string& name);

// "./usr/bin/" -> "usr/bin"; "" for the root.
std::string normalize_path(std::string_view p);

// Whether a layer keeps this file's text (a regular file no larger than kMaxSmallFile).
bool is_small_file_of_interest(std::string_view path);

}  // namespace dg::steps::image
