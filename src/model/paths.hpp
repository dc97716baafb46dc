#pragma once
// One answer to "which file is this": every finding's path relative to the source root, computed
// once before policy, so SARIF, Code Quality, annotations, JUnit and the comment agree and
// fingerprints do not change with the runner's workspace directory.
#include <string>
#include <string_view>

#include "src/model/run.hpp"

namespace dg::model {

struct NormalizedPath {
  std::string path;
  bool outside_root = false;
};

// `root` is absolute and lexically normal (no trailing slash). A path the tool wrote absolute is
// made relative to `root`; a relative one is taken as relative to `root` already (as
// github/codeql-action's resolveUriToFile assumes), cleaned of "./", "//" and backslashes. A path
// that is absolute outside `root`, or climbs out of it with "..", stays as the tool wrote it and is
// marked outside_root. "file://" URIs are read as absolute paths.
NormalizedPath normalize_path(std::string_view path, std::string_view root);

// Whether any finding's path is absolute: only then is the root needed (finding it runs git).
bool has_absolute_paths(const Run& run);

// Rewrites every finding's location.path (and of run.fixed). A finding whose fingerprint was
// derived from its old path gets it recomputed from the new one; a tool's own fingerprint stays.
void normalize_paths(Run& run, std::string_view root);

}  // namespace dg::model
