#pragma once
// What this binary is: version, the commit it was built from, and how it was built. Printed by
// `dockgate --version` and `dockgate version [--json]`, and what a bug report should quote.
#include <string>

namespace dg::app {

struct BuildInfo {
  std::string version;     // the project version (CMakeLists.txt)
  std::string commit;      // git commit, or "unknown" outside a checkout
  std::string build_type;  // Release, RelWithDebInfo, Debug, ...
  std::string compiler;
};

const BuildInfo& build_info();

// "dockgate 0.1.0 (commit 0123456789ab, Release)"
std::string version_line();

}  // namespace dg::app
