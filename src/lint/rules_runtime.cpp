// How the container runs: non-root USER, unprivileged ports, exec-form entrypoint (signals reach
// the app), a HEALTHCHECK, and Python's fault handler / unbuffered output.
#include <charconv>
#include <unordered_map>

#include "src/lint/rules.hpp"
#include "src/util/text.hpp"

namespace dg::lint {

namespace {
bool env_sets(const Stage& st, std::string_view name, const Dockerfile& df) {
  auto sets = [&](const Instruction& ins) {
    if (ins.keyword != "ENV" && ins.keyword != "ARG") return false;
    std::string a = util::trim(ins.args);
    for (auto& w : util::split(util::normalize_space(a), ' '))
      if (w.starts_with(std::string(name) + "=")) return true;
    return a.starts_with(std::string(name) + " ") && ins.keyword == "ENV";  // legacy `ENV K v`
  };
  for (auto& ins : st.instructions)
    if (sets(ins)) return true;
  (void)df;
  return false;
}

// The stage chain of the final stage (FROM builder AS final inherits builder's ENV and USER).
std::vector<const Stage*> chain(const Dockerfile& df, const Stage* last) {
  // The last stage of each alias, found once (a scan of every stage per link was quadratic).
  std::unordered_map<std::string, std::vector<const Stage*>> by_alias;
  for (auto& p : df.stages)
    if (!p.alias.empty()) by_alias[p.alias].push_back(&p);
  std::vector<const Stage*> out;
  for (const Stage* s = last; s;) {
    out.push_back(s);
    if (!s->from_stage) break;
    const Stage* parent = nullptr;
    if (auto it = by_alias.find(util::to_lower(s->resolved)); it != by_alias.end())
      for (auto* p : it->second)
        if (p != s) parent = p;
    if (parent == s || out.size() > df.stages.size()) break;
    s = parent;
  }
  return out;
}
}  // namespace

void check_runtime(LintContext& ctx) {
  if (!ctx.final_stage) return;
  auto stages = chain(ctx.df, ctx.final_stage);
  // USER: the last USER in the final stage (or its parents) must not be root.
  const Instruction* last_user = nullptr;
  for (auto* st : stages) {
    for (auto& ins : st->instructions)
      if (ins.keyword == "USER") last_user = &ins;
    if (last_user) break;
  }
  bool distroless_nonroot = util::to_lower(ctx.final_stage->resolved).find(":nonroot") != std::string::npos;
  if (!distroless_nonroot && !util::iequals(ctx.final_stage->resolved, "scratch")) {
    if (!last_user) {
      ctx.hit("DG110", ctx.final_stage->line, "the final stage sets no USER: the app runs as root");
    } else {
      std::string u = util::trim(last_user->args);
      std::string name = u.substr(0, u.find(':'));
      if (name == "root" || name == "0")
        ctx.hit("DG110", last_user->line, "USER " + u + ": the app runs as root");
    }
  }
  bool has_health = false;
  const Instruction* entry = nullptr;
  const Instruction* cmd = nullptr;
  for (auto* st : stages) {
    for (auto& ins : st->instructions) {
      if (ins.keyword == "HEALTHCHECK") has_health = true;
      if (ins.keyword == "ENTRYPOINT" && !entry) entry = &ins;
      if (ins.keyword == "CMD" && !cmd) cmd = &ins;
    }
  }
  for (auto& st : ctx.df.stages)
    for (auto& ins : st.instructions) {
      if (ins.keyword != "EXPOSE") continue;
      for (auto& p : util::split(util::normalize_space(ins.args), ' ')) {
        std::string port = p.substr(0, p.find('/'));
        if (port.find('$') != std::string::npos || port.empty()) continue;
        auto dash = port.find('-');
        std::string first = port.substr(0, dash);
        unsigned long n = 0;
        auto [ptr, ec] = std::from_chars(first.data(), first.data() + first.size(), n);
        if (ec != std::errc() || ptr != first.data() + first.size() || n > 65535 || n == 0)
          ctx.hit("DG111", ins.line, "EXPOSE " + p + " is not a valid port (1-65535)");
        else if (n < 1024)
          ctx.hit("DG111", ins.line, "EXPOSE " + p + ": ports below 1024 need root; listen on 1024 or above");
      }
    }
  auto init_entry = [&](const Instruction* e) {
    if (!e) return false;
    std::string s = util::to_lower(e->json_form && !e->json_args.empty() ? e->json_args[0] : e->args);
    return s.find("tini") != std::string::npos || s.find("dumb-init") != std::string::npos ||
           s.find("s6") != std::string::npos;
  };
  for (const Instruction* ins : {entry, cmd}) {
    if (!ins || ins->json_form) continue;
    if (ins == cmd && entry && (entry->json_form || init_entry(entry))) continue;  // CMD is args to it
    if (init_entry(ins)) continue;
    std::string a = util::trim(ins->args);
    if (a.starts_with("exec ")) continue;  // `sh -c "exec app"` replaces the shell
    ctx.hit("DG150", ins->line,
            ins->keyword + " in shell form runs under /bin/sh -c, which does not forward SIGTERM: use the exec form [\"…\"]");
  }
  if (!has_health && !util::iequals(ctx.final_stage->resolved, "scratch"))
    ctx.hit("DG151", ctx.final_stage->line, "no HEALTHCHECK: the orchestrator cannot tell a hung app from a healthy one");
  if (ctx.python) {
    bool fault = false, unbuffered = false;
    for (auto* st : stages) {
      fault = fault || env_sets(*st, "PYTHONFAULTHANDLER", ctx.df);
      unbuffered = unbuffered || env_sets(*st, "PYTHONUNBUFFERED", ctx.df);
    }
    if (!fault) ctx.hit("DG160", ctx.final_stage->line, "set ENV PYTHONFAULTHANDLER=1 so a crash prints a traceback");
    if (!unbuffered) ctx.hit("DG161", ctx.final_stage->line, "set ENV PYTHONUNBUFFERED=1 so logs are not held in a buffer");
  }
}

}  // namespace dg::lint
