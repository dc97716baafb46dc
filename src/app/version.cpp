#include "src/app/version.hpp"

namespace dg::app {

// Generated at build time (cmake/version_info.cmake): a new commit recompiles only that file.
extern const char* const kGitCommit;
extern const char* const kBuildType;

const BuildInfo& build_info() {
  static const BuildInfo info{DOCKGATE_VERSION, kGitCommit, kBuildType,
#if defined(__clang__)
                              "clang " __clang_version__
#elif defined(__GNUC__)
                              "gcc " __VERSION__
#else
                              "unknown"
#endif
  };
  return info;
}

std::string version_line() {
  auto& b = build_info();
  return "dockgate " + b.version + " (commit " + b.commit + ", " + b.build_type + ")";
}

}  // namespace dg::app
