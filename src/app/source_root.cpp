#include "src/app/source_root.hpp"

#include <filesystem>
#include <system_error>

#include "src/lint/dockerfile.hpp"
#include "src/model/paths.hpp"
#include "src/report/finding_view.hpp"
#include "src/util/file.hpp"
#include "src/util/process.hpp"
#include "src/util/text.hpp"

namespace dg::app {
namespace fs = std::filesystem;

namespace {

std::string absolute_normal(const std::string& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  if (ec) return p;
  std::string s = a.lexically_normal().generic_string();
  while (s.size() > 1 && s.ends_with("/")) s.pop_back();
  return s;
}

std::string cwd() {
  std::error_code ec;
  auto p = fs::current_path(ec);
  return ec ? std::string("/") : absolute_normal(p.string());
}

}  // namespace

std::string source_root(const std::string& flag, const Env& env, bool need_git) {
  if (!flag.empty()) return absolute_normal(flag);
  for (auto* name : {"GITHUB_WORKSPACE", "CI_PROJECT_DIR", "WORKSPACE"})
    if (auto it = env.find(name); it != env.end() && !it->second.empty()) return absolute_normal(it->second);
  if (need_git) {
    util::ProcessSpec spec;
    spec.argv = {"git", "rev-parse", "--show-toplevel"};
    spec.timeout = std::chrono::seconds(10);
    if (auto r = util::run_process(spec); r && !r->not_found && r->exit_code == 0) {
      std::string top = util::trim(r->out);
      if (!top.empty()) return absolute_normal(top);
    }
  }
  return cwd();
}

std::string normalize_run_paths(model::Run& run, const std::string& flag, const Env& env) {
  // Relative paths need no root; git runs only when some tool wrote an absolute path.
  std::string root = source_root(flag, env, model::has_absolute_paths(run));
  model::normalize_paths(run, root);
  return root;
}

std::optional<std::string> read_source(const std::string& root, const std::string& rel) {
  auto n = model::normalize_path(rel, root);
  if (n.outside_root || rel.empty()) return std::nullopt;
  fs::path p = fs::path(root) / n.path;
  std::error_code ec;
  if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) > (8u << 20) || ec) return std::nullopt;
  auto text = util::read_file(p);
  if (!text) return std::nullopt;
  return std::move(*text);
}

std::string sarif_dockerfile(const model::Run& run, const Config& cfg, const std::string& root) {
  if (!cfg.dockerfile.empty() && cfg.dockerfile != "Dockerfile") {
    // A configured path is the user's, relative to where dockgate runs.
    auto n = model::normalize_path(absolute_normal(cfg.dockerfile), root);
    if (!n.outside_root) return n.path;
  }
  return report::dockerfile_path(run);
}

int final_from_line(const std::string& root, const std::string& dockerfile) {
  auto text = read_source(root, dockerfile);
  if (!text) return 1;
  auto df = lint::parse_dockerfile(*text);
  if (df.stages.empty() || df.stages.back().line <= 0) return 1;
  return df.stages.back().line;
}

}  // namespace dg::app
