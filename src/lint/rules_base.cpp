// Base-image rules: pin it, don't use :latest, prefer a digest, let it be swapped via ARG, and for
// Python no Alpine (musl breaks manylinux wheels) and a small final base.
#include <algorithm>

#include "src/lint/rules.hpp"

#include <unordered_set>
#include "src/util/text.hpp"

namespace dg::lint {

namespace {
struct ImageRef {
  std::string name, tag, digest;
};
ImageRef split_ref(std::string_view ref) {
  ImageRef r;
  std::string s(ref);
  if (auto at = s.find('@'); at != std::string::npos) {
    r.digest = s.substr(at + 1);
    s = s.substr(0, at);
  }
  auto slash = s.rfind('/');
  auto colon = s.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    r.tag = s.substr(colon + 1);
    s = s.substr(0, colon);
  }
  r.name = s;
  return r;
}
}  // namespace

void check_base_image(LintContext& ctx) {
  std::unordered_set<const Stage*> python_stages(ctx.python_stages.begin(), ctx.python_stages.end());
  for (auto& st : ctx.df.stages) {
    if (st.from_stage || util::iequals(st.resolved, "scratch") || st.resolved.empty()) continue;
    auto ref = split_ref(st.resolved);
    bool variable = st.image.find('$') != std::string::npos;
    if (ref.digest.empty()) {
      if (ref.tag.empty())
        ctx.hit("DG101", st.line, "FROM " + st.image + " has no tag: it floats to :latest; pin a version");
      else if (ref.tag == "latest")
        ctx.hit("DG102", st.line, "FROM " + st.image + " uses :latest; pin a version");
      else
        ctx.hit("DG103", st.line, "FROM " + st.image + " is pinned by tag only; add @sha256:… for reproducible builds");
    }
    if (!variable && &st == ctx.final_stage && ctx.df.global_args.empty())
      ctx.hit("DG104", st.line, "pass the base image as an ARG (ARG BASE=" + st.image + ") so it can be swapped");
    std::string lower = util::to_lower(st.resolved);
    bool python_stage = python_stages.count(&st) > 0;
    if (python_stage && lower.find("alpine") != std::string::npos)
      ctx.hit("DG105", st.line,
              "Alpine (musl) base for a Python image: wheels must be compiled; use a slim Debian base");
  }
  if (ctx.python && ctx.final_stage && !ctx.final_stage->from_stage) {
    std::string lower = util::to_lower(ctx.final_stage->resolved);
    bool small = lower.find("slim") != std::string::npos || lower.find("distroless") != std::string::npos ||
                 lower.find("alpine") != std::string::npos || lower == "scratch" ||
                 lower.find("chainguard") != std::string::npos || lower.find("minimal") != std::string::npos;
    if (!small && !lower.empty())
      ctx.hit("DG106", ctx.final_stage->line,
              "final stage FROM " + ctx.final_stage->image + ": use a slim or distroless runtime base");
  }
}

}  // namespace dg::lint
