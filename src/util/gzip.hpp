#pragma once
// The size `data` has once gzipped: GitHub's SARIF upload limit (10 MB) is on the gzipped file,
// as codeql-action sends it (upload-lib.ts: zlib.gzipSync before the size check).
#include <cstddef>
#include <string_view>

#include "src/util/error.hpp"

namespace dg::util {

Expected<std::size_t> gzip_size(std::string_view data);

}  // namespace dg::util
