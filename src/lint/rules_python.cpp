// pip: --no-cache-dir (the cache only bloats the layer), and dependency files copied and installed
// before the code so a code change does not reinstall every dependency.
#include "src/lint/rules.hpp"
#include "src/util/text.hpp"

namespace dg::lint {

namespace {
// The first ENV or ARG of the stage that sets PIP_NO_CACHE_DIR: it covers every RUN after it.
// Found once per stage (looking back from every RUN was quadratic).
const Instruction* pip_cache_env(const Stage& st) {
  for (auto& ins : st.instructions)
    if ((ins.keyword == "ENV" || ins.keyword == "ARG") && ins.args.find("PIP_NO_CACHE_DIR") != std::string::npos)
      return &ins;
  return nullptr;
}
bool copies_everything(const Instruction& ins) {
  if (ins.keyword != "COPY" && ins.keyword != "ADD") return false;
  if (!ins.flag("from").empty()) return false;
  auto words = ins.json_form ? ins.json_args : util::split(util::normalize_space(ins.args), ' ');
  if (words.size() < 2) return false;
  for (std::size_t i = 0; i + 1 < words.size(); ++i)
    if (words[i] == "." || words[i] == "./" || words[i] == "*") return true;
  return false;
}
}  // namespace

void check_python(LintContext& ctx) {
  for (auto& st : ctx.df.stages) {
    const Instruction* copied_all = nullptr;
    const Instruction* cache_env = pip_cache_env(st);
    for (auto& ins : st.instructions) {
      if (copies_everything(ins) && !copied_all) copied_all = &ins;
      if (ins.keyword != "RUN") continue;
      std::string script = run_script(ins);
      for (auto& c : run_commands(ins)) {
        if (!is_pip_install(c)) continue;
        if (!c.has("--no-cache-dir") && !(cache_env && cache_env < &ins) &&
            script.find("PIP_NO_CACHE_DIR") == std::string::npos)
          ctx.hit_fix("DG130", ins, "pip install without --no-cache-dir keeps pip's download cache in the layer",
                      fix_add_option(ctx, ins, {"pip", "pip3"}, "install", "--no-cache-dir"));
        bool from_requirements = c.has("-r") || c.has_prefix("--requirement") || c.has_prefix("-r");
        // `pip install .` needs the code by nature; only a requirements install belongs before it.
        if (copied_all && from_requirements)
          ctx.hit("DG131", ins.line,
                  "dependencies are installed after COPY of the whole source (line " + std::to_string(copied_all->line) +
                      "): copy requirements first and install them before the code, so code edits reuse the cached layer");
      }
    }
  }
}

}  // namespace dg::lint
