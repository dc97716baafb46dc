// apt in one RUN: update + install together (a cached update layer installs stale versions),
// --no-install-recommends, -y, lists removed in the same layer, upgrade (the handbook recommends
// it for security fixes, the opposite of hadolint DL3005), and a non-interactive frontend that is
// not persisted into the image.
#include "src/lint/rules.hpp"
#include "src/util/text.hpp"

namespace dg::lint {

void check_apt(LintContext& ctx) {
  bool any_apt = false, any_upgrade = false;
  int first_apt_line = 0;
  bool global_frontend = false;  // once, not once per stage
  for (auto& g : ctx.df.global_args)
    if (g.args.find("DEBIAN_FRONTEND") != std::string::npos) global_frontend = true;
  for (auto& st : ctx.df.stages) {
    bool frontend_arg = global_frontend;
    for (auto& ins : st.instructions) {
      if (ins.keyword == "ARG" && ins.args.find("DEBIAN_FRONTEND") != std::string::npos) frontend_arg = true;
      if (ins.keyword == "ENV" && ins.args.find("DEBIAN_FRONTEND") != std::string::npos) {
        ctx.hit("DG126", ins.line,
                "ENV DEBIAN_FRONTEND persists into the running container; use ARG or prefix the apt-get command");
        frontend_arg = true;  // it is set, just in the wrong way
      }
      if (ins.keyword != "RUN") continue;
      auto cmds = run_commands(ins);
      bool update = false, install = false, cleaned = false, frontend = frontend_arg;
      std::string script = run_script(ins);
      if (script.find("DEBIAN_FRONTEND=noninteractive") != std::string::npos) frontend = true;
      for (auto& c : cmds) {
        if (program(c) == "rm" && (c.has_prefix("/var/lib/apt/lists")))
          cleaned = true;
        if (!is_apt(c)) continue;
        std::string sub = apt_subcommand(c);
        if (sub == "update") update = true;
        if (sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade") any_upgrade = true;
        if (sub != "install") continue;
        install = true;
        any_apt = true;
        if (!first_apt_line) first_apt_line = ins.line;
        if (!c.has("--no-install-recommends") && !c.has_prefix("-o") &&
            script.find("APT::Install-Recommends") == std::string::npos)
          ctx.hit_fix("DG121", ins, "apt-get install without --no-install-recommends pulls in packages you did not ask for",
                      fix_add_option(ctx, ins, {"apt-get", "apt"}, "install", "--no-install-recommends"));
        bool yes = c.has("-y") || c.has("--yes") || c.has("--assume-yes") || c.has("-qy") || c.has("-yq") ||
                   c.has_prefix("-y") || c.has("-qqy");
        for (auto& w : c.words)
          if (w.size() > 1 && w[0] == '-' && w[1] != '-' && w.find('y') != std::string::npos) yes = true;
        if (!yes) ctx.hit("DG124", ins.line, "apt-get install without -y waits for an answer no build can give");
      }
      if (update && !install)
        ctx.hit("DG120", ins.line, "apt-get update alone in a RUN: a cached layer makes later installs use stale lists");
      if (install && !update)
        ctx.hit("DG120", ins.line, "apt-get install without apt-get update in the same RUN can install stale versions");
      if (install && !cleaned)
        ctx.hit("DG122", ins.line, "remove /var/lib/apt/lists/* in the same RUN to keep the layer small");
      if (install && !frontend)
        ctx.hit("DG125", ins.line, "set DEBIAN_FRONTEND=noninteractive (ARG or command prefix) so apt never prompts");
    }
  }
  if (any_apt && !any_upgrade)
    ctx.hit("DG123", first_apt_line,
            "no apt-get upgrade: the Python-on-Docker handbook recommends it to pick up security fixes the base image lacks");
}

}  // namespace dg::lint
