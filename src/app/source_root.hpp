#pragma once
// The directory finding paths are made relative to (see model::normalize_paths), and what the
// SARIF writer needs from it: the Dockerfile that image findings point at, and the source text
// for primaryLocationLineHash.
#include <functional>
#include <optional>
#include <string>

#include "src/app/config.hpp"
#include "src/model/run.hpp"

namespace dg::app {

// --source-root, else GITHUB_WORKSPACE / CI_PROJECT_DIR / WORKSPACE (GitHub, GitLab, Jenkins
// check out there), else the git top level of the cwd, else the cwd. Absolute and normal.
// `need_git`: false skips asking git (nothing needs the root beyond relative paths).
std::string source_root(const std::string& flag, const Env& env, bool need_git = true);

// Normalizes run's paths once, before policy; returns the root used.
std::string normalize_run_paths(model::Run& run, const std::string& flag, const Env& env);

// A file under `root` by its root-relative path, for hashing lines; nullopt when it is not a
// regular readable file of at most 8 MiB, or the path leaves the root.
std::optional<std::string> read_source(const std::string& root, const std::string& rel);

// The Dockerfile image findings are shown on, root-relative: the configured one (--dockerfile,
// dockgate.yml) when it is not the default, else the one lint findings name.
std::string sarif_dockerfile(const model::Run& run, const Config& cfg, const std::string& root);

// The line of the final stage's FROM in `dockerfile` (root-relative), 1 when unreadable.
int final_from_line(const std::string& root, const std::string& dockerfile);

}  // namespace dg::app
