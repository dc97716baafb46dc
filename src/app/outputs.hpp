#pragma once
// The output paths of one command, checked before anything runs: each given once, "-" (stdout)
// at most once, and none an existing symlink, FIFO, device or directory.
#include "src/app/common.hpp"
#include "src/util/error.hpp"

namespace dg::app {

// A Usage error naming the two flags that share a path, or the path that is not a regular file.
util::Expected<void> check_output_paths(const CommonOptions& o);

}  // namespace dg::app
