#include <string_view>

#include "src/steps/image/image.hpp"
#include "src/util/text.hpp"

namespace dg::steps::image {

void align_history(Image& img) {
  std::size_t layer = 0;
  for (auto& h : img.config.history) {
    if (h.empty_layer) continue;
    if (layer >= img.layers.size()) break;
    img.layers[layer++].created_by = instruction_of(h.created_by);
  }
}

std::string instruction_of(const std::string& created_by) {
  std::string s = util::trim(created_by);
  auto strip_prefix = [&s](std::string_view p) {
    if (s.starts_with(p)) {
      s = util::trim(std::string_view(s).substr(p.size()));
      return true;
    }
    return false;
  };
  constexpr std::string_view kBuildkit = "# buildkit";
  if (s.ends_with(kBuildkit)) s = util::trim(std::string_view(s).substr(0, s.size() - kBuildkit.size()));
  // The classic builder: "/bin/sh -c #(nop) " marks metadata instructions, a bare shell is RUN.
  if (strip_prefix("/bin/sh -c #(nop)")) return s;
  if (strip_prefix("/bin/sh -c")) return "RUN " + s;
  // BuildKit writes RUN with its build args: "RUN |2 A=1 B=2 /bin/sh -c cmd".
  if (s.starts_with("RUN |")) {
    if (auto sh = s.find("/bin/sh -c "); sh != std::string::npos) return "RUN " + util::trim(s.substr(sh + 11));
  }
  if (s.starts_with("RUN /bin/sh -c ")) return "RUN " + util::trim(s.substr(15));
  return s;
}

}  // namespace dg::steps::image
