// Files into the image: COPY rather than ADD for local files (ADD also extracts archives and
// fetches URLs), and a .dockerignore that keeps .git (history, secrets) out of the build context.
#include "src/lint/rules.hpp"
#include "src/util/text.hpp"

namespace dg::lint {

void check_files(LintContext& ctx) {
  for (auto& st : ctx.df.stages)
    for (auto& ins : st.instructions) {
      if (ins.keyword != "ADD") continue;
      auto words = ins.json_form ? ins.json_args : util::split(util::normalize_space(ins.args), ' ');
      if (words.size() < 2) continue;
      bool remote_or_archive = false;
      for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        std::string w = util::to_lower(words[i]);
        if (w.starts_with("http://") || w.starts_with("https://") || w.starts_with("git@") ||
            w.ends_with(".tar") || w.ends_with(".tar.gz") || w.ends_with(".tgz") || w.ends_with(".tar.xz") ||
            w.ends_with(".tar.bz2") || w.ends_with(".tar.zst"))
          remote_or_archive = true;
      }
      if (!remote_or_archive)
        ctx.hit_fix("DG140", ins, "ADD for local files: use COPY (ADD also unpacks archives and fetches URLs)",
                    fix_add_to_copy(ctx, ins));
    }
  if (!ctx.dockerignore) {
    ctx.hit("DG141", 1, "no .dockerignore beside the Dockerfile: .git, caches and secrets go into the build context");
    return;
  }
  bool git = false;
  for (auto& line : util::split(*ctx.dockerignore, '\n')) {
    std::string l = util::trim(line);
    if (l.starts_with('!')) continue;
    while (l.starts_with("./") || l.starts_with("/")) l.erase(0, l.starts_with("./") ? 2 : 1);
    if (l == ".git" || l == ".git/" || l == ".git*" || l == ".git/**" || l == "**/.git" || l == "*" || l == "**")
      git = true;
  }
  if (!git) ctx.hit("DG142", 1, ".dockerignore does not exclude .git: its history can leak into the image");
}

}  // namespace dg::lint
