#include "src/app/outputs.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "src/util/file.hpp"

namespace dg::app {
namespace fs = std::filesystem;

namespace {

// Two spellings of one file ("x", "./x", "dir/../x", a hard link) are the same output: the last
// writer would win silently.
bool same_file(const std::string& a, const std::string& b) {
  if (a == "-" || b == "-") return a == b;
  std::error_code ec;
  if (fs::equivalent(a, b, ec) && !ec) return true;
  auto ca = fs::weakly_canonical(a, ec);
  if (ec) return a == b;
  auto cb = fs::weakly_canonical(b, ec);
  if (ec) return a == b;
  return ca == cb;
}

}  // namespace

util::Expected<void> check_output_paths(const CommonOptions& o) {
  std::vector<std::pair<std::string, std::string>> outs;  // flag, path
  for (auto [flag, path] : {std::pair{"--json", &o.json}, std::pair{"--junit", &o.junit}, std::pair{"--sarif", &o.sarif},
                            std::pair{"--markdown", &o.markdown}, std::pair{"--html", &o.html}, std::pair{"--codequality", &o.codequality}})
    if (!path->empty()) outs.emplace_back(flag, *path);
  // Workflow commands go to stdout too: a document there would be interleaved with them.
  if (o.annotations) outs.emplace_back("--annotations", "-");
  for (std::size_t i = 0; i < outs.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j)
      if (same_file(outs[j].second, outs[i].second))
        return util::fail(util::ErrorKind::Usage,
                          outs[j].first + " and " + outs[i].first + " both write to " +
                              (outs[i].second == "-" ? std::string("stdout (-)") : outs[i].second) +
                              ": give each output its own path (only one may be -)");
    if (auto ok = util::check_output_path(outs[i].second); !ok) {
      util::Error e = ok.error();
      e.message = outs[i].first + ": " + e.message;
      return std::unexpected(std::move(e));
    }
  }
  return {};
}

util::Expected<void> take_output_alias(const std::string& path, std::string& slot, std::string_view flag,
                                       std::string_view what) {
  if (!slot.empty() && slot != path)
    return util::fail(util::ErrorKind::Usage, "-o and --" + std::string(flag) + " both name " + std::string(what) + " (" +
                                                  path + ", " + slot + "): give one of them");
  slot = path;
  return {};
}

}  // namespace dg::app
