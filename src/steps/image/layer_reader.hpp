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
inline constexpr std::uint64_t kMaxSmallFile = 64 * 1024;

// Returns the next chunk of the layer blob: bytes read (0 at the end, <0 on error) and the
// chunk in *buf. The chunk stays valid until the next call.
using ChunkReader = std::function<std::int64_t(const void** buf)>;

util::Expected<LayerContents> read_layer_file(const std::filesystem::path& blob);
util::Expected<LayerContents> read_layer_stream(const ChunkReader& read, const std::string& name);

// "./usr/bin/" -> "usr/bin"; "" for the root.
std::string normalize_path(std::string_view p);

// Whether a layer keeps this file's text (a regular file no larger than kMaxSmallFile).
bool is_small_file_of_interest(std::string_view path);

}  // namespace dg::steps::image
