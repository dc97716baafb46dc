// What the image says about itself and how it is built: git commit/branch and source labels,
// compilers kept out of the runtime image by a multi-stage build, and few layers.
#include <algorithm>
#include <array>

#include "src/lint/rules.hpp"
#include "src/util/text.hpp"

namespace dg::lint {

void check_metadata(LintContext& ctx) {
  if (!ctx.final_stage) return;
  std::string labels;
  for (auto& ins : ctx.df.all)
    // An ARG alone never reaches the image: only LABEL (and MAINTAINER) count.
    if (ins.keyword == "LABEL" || ins.keyword == "MAINTAINER") labels += util::to_lower(ins.args) + "\n";
  const std::array<std::string_view, 6> git_keys{"revision", "git_commit", "git-commit", "vcs-ref", "commit", "branch"};
  bool git = false;
  for (auto k : git_keys) git = git || labels.find(k) != std::string::npos;
  if (!git)
    ctx.hit("DG162", ctx.final_stage->line,
            "no git commit/branch label: add ARG GIT_COMMIT + LABEL org.opencontainers.image.revision=$GIT_COMMIT");
  bool source = labels.find("org.opencontainers.image.source") != std::string::npos ||
                labels.find("maintainer") != std::string::npos || labels.find("authors") != std::string::npos ||
                labels.find("vendor") != std::string::npos;
  for (auto& ins : ctx.df.all)
    if (ins.keyword == "MAINTAINER") source = true;
  if (!source)
    ctx.hit("DG163", ctx.final_stage->line, "no source/maintainer label: add LABEL org.opencontainers.image.source=…");

  if (ctx.df.stages.size() == 1) {
    static const std::array<std::string_view, 7> compilers{"build-essential", "gcc", "g++", "clang", "make",
                                                           "python3-dev", "libc6-dev"};
    for (auto& ins : ctx.final_stage->instructions) {
      if (ins.keyword != "RUN") continue;
      auto cmds = run_commands(ins);
      // Installing compilers and purging them in the same RUN (as the official python images
      // do) leaves nothing behind in the layer.
      bool purged = std::any_of(cmds.begin(), cmds.end(), [](const Command& c) {
        auto p = program(c);
        return (is_apt(c) && (apt_subcommand(c) == "purge" || apt_subcommand(c) == "remove" ||
                              apt_subcommand(c) == "autoremove")) ||
               (p == "apk" && c.has("del")) || ((p == "yum" || p == "dnf") && c.has("remove"));
      });
      if (purged) continue;
      for (auto& c : cmds) {
        std::string p = program(c);
        bool installer = (is_apt(c) && apt_subcommand(c) == "install") || (p == "apk" && c.has("add")) ||
                         ((p == "yum" || p == "dnf" || p == "microdnf") && c.has("install"));
        if (!installer) continue;
        for (auto comp : compilers)
          if (c.has(comp) && !(p == "apk" && c.has("--virtual"))) {
            ctx.hit("DG170", ins.line, std::string(comp) +
                                           " in a single-stage build stays in the runtime image: build in a first stage and copy the result");
            goto next_ins;
          }
      }
    next_ins:;
    }
  }
  for (auto& st : ctx.df.stages) {
    const Instruction* prev = nullptr;
    for (auto& ins : st.instructions) {
      if (ins.keyword == "RUN" && prev && prev->keyword == "RUN" && ins.flags.empty() && prev->flags.empty() &&
          ins.heredocs.empty() && prev->heredocs.empty())
        ctx.hit("DG171", ins.line, "consecutive RUN (lines " + std::to_string(prev->line) + " and " +
                                       std::to_string(ins.line) + "): merge them with && to save a layer");
      prev = &ins;
    }
  }
}

}  // namespace dg::lint
