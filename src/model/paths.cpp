#include "src/model/paths.hpp"

#include <filesystem>

#include "src/model/fingerprint.hpp"

namespace dg::model {
namespace {

namespace fs = std::filesystem;

std::string slashes(std::string_view p) {
  std::string s(p);
  for (auto& c : s)
    if (c == '\\') c = '/';
  if (s.starts_with("file://")) {
    s.erase(0, 7);
    // file://host/path is not a local path: keep it whole.
    if (!s.starts_with("/")) return "file://" + s;
  }
  return s;
}

bool derived_from(const std::string& fingerprint, const std::string& base) {
  return fingerprint == base || (fingerprint.starts_with(base) && fingerprint.size() > base.size() &&
                                 fingerprint[base.size()] == ':');
}

void normalize(std::vector<Finding>& findings, std::string_view root) {
  bool refingerprint = false;
  for (auto& f : findings) {
    auto& loc = f.location;
    if (loc.path.empty()) continue;
    auto n = normalize_path(loc.path, root);
    if (n.path == loc.path) {
      loc.outside_root = n.outside_root;
      continue;
    }
    if (!f.fingerprint.empty() && f.kind != Kind::Vulnerability && derived_from(f.fingerprint, fingerprint_base(f))) {
      f.fingerprint.clear();
      refingerprint = true;
    }
    loc.path = std::move(n.path);
    loc.outside_root = n.outside_root;
  }
  if (refingerprint) assign_fingerprints(findings);
}

}  // namespace

NormalizedPath normalize_path(std::string_view path, std::string_view root) {
  std::string s = slashes(path);
  if (s.starts_with("file://")) return {std::string(path), true};
  fs::path p = fs::path(s).lexically_normal();
  if (p.is_absolute()) {
    fs::path r = fs::path(std::string(root)).lexically_normal();
    if (root.empty() || !r.is_absolute()) return {std::string(path), true};
    fs::path rel = p.lexically_relative(r);
    std::string out = rel.generic_string();
    if (rel.empty() || out == "." || out == ".." || out.starts_with("../")) return {std::string(path), true};
    return {out, false};
  }
  std::string out = p.generic_string();
  if (out == ".." || out.starts_with("../")) return {std::string(path), true};
  if (out.empty() || out == ".") return {std::string(path), false};
  if (out.ends_with("/")) out.pop_back();
  return {out, false};
}

bool has_absolute_paths(const Run& run) {
  auto absolute = [](const Finding& f) {
    auto& p = f.location.path;
    return p.starts_with("/") || p.starts_with("\\") || p.starts_with("file:///");
  };
  for (auto& s : run.steps)
    for (auto& f : s.findings)
      if (absolute(f)) return true;
  for (auto& f : run.fixed)
    if (absolute(f)) return true;
  return false;
}

void normalize_paths(Run& run, std::string_view root) {
  for (auto& s : run.steps) normalize(s.findings, root);
  normalize(run.fixed, root);
}

}  // namespace dg::model
