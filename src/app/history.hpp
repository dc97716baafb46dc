#pragma once
// Past results for the HTML report's trend chart (--history results/*.json).
#include <string>
#include <vector>

#include "src/report/html.hpp"
#include "src/util/error.hpp"

namespace dg::app {

// Reads each file as a dockgate result JSON; oldest first (by when each run finished). An
// unreadable file is an Input error naming it, like --baseline.
util::Expected<std::vector<report::TrendPoint>> load_history(const std::vector<std::string>& paths);

}  // namespace dg::app
