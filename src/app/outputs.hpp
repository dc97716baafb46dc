#pragma once
// The output paths of one command, checked before anything runs: each given once, "-" (stdout)
// at most once, and none an existing symlink, FIFO, device or directory.
#include "src/app/common.hpp"
#include "src/util/error.hpp"

namespace dg::app {

// A Usage error naming the two flags that share a path, or the path that is not a regular file.
util::Expected<void> check_output_paths(const CommonOptions& o);

// `-o PATH` given as the other name of the output `--FLAG` fills (`slot`): it goes into the slot,
// or is a Usage error when --FLAG names another path (two paths for one output would silently
// drop one). `what` names the output in the message ("the result JSON").
util::Expected<void> take_output_alias(const std::string& path, std::string& slot, std::string_view flag,
                                       std::string_view what);

}  // namespace dg::app
