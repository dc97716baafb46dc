#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "src/util/error.hpp"

namespace dg::util {

// Reports larger than this are refused before allocation (bounded sizes, DESIGN "Security").
inline constexpr std::uintmax_t kMaxInputBytes = 4ull << 30;

// Reads a whole regular file. Missing files, directories and unreadable files are Input errors
// that name the path. `extra` bytes of zeroed slack are reserved past the end (parsers that
// read ahead, such as simdjson, need them).
Expected<std::string> read_file(const std::filesystem::path& path, std::size_t extra = 0);

// Writes `data` to `path` atomically: a temporary file in the same directory, then rename.
// "-" writes to stdout. A reader never sees half a file.
Expected<void> write_file_atomic(const std::filesystem::path& path, std::string_view data);

// Appends to a file (GITHUB_STEP_SUMMARY is appended to by every step of a job).
Expected<void> append_file(const std::filesystem::path& path, std::string_view data);

}  // namespace dg::util
