#include "src/lint/rules.hpp"

#include <algorithm>

namespace dg::lint {
using model::Severity;

const std::vector<RuleInfo>& rules() {
  static const std::vector<RuleInfo> r{
      {"DG100", Severity::High, "Dockerfile cannot be parsed (unknown instruction or malformed line)", ""},
      {"DG101", Severity::Medium, "Base image is not pinned to a tag", "DL3006"},
      {"DG102", Severity::Medium, "Base image uses the :latest tag", "DL3007"},
      {"DG103", Severity::Info, "Base image is not pinned by digest", ""},
      {"DG104", Severity::Info, "Base image is not passed as an ARG", ""},
      {"DG105", Severity::Medium, "Alpine base image for a Python image", ""},
      {"DG106", Severity::Low, "Final stage of a Python image is not slim or distroless", ""},
      {"DG110", Severity::High, "Final stage runs as root (no non-root USER)", "DL3002"},
      {"DG111", Severity::Medium, "EXPOSE of a privileged port (< 1024) or an invalid port", "DL3011"},
      {"DG120", Severity::Medium, "apt-get update and apt-get install are not in the same RUN", ""},
      {"DG121", Severity::Low, "apt-get install without --no-install-recommends", "DL3015"},
      {"DG122", Severity::Low, "apt lists are not removed in the same RUN", "DL3009"},
      {"DG123", Severity::Info, "apt-get upgrade is missing (the handbook recommends it)", "DL3005 (opposite)"},
      {"DG124", Severity::Medium, "apt-get install without -y", "DL3014"},
      {"DG125", Severity::Low, "DEBIAN_FRONTEND=noninteractive is not set for apt", ""},
      {"DG126", Severity::Low, "DEBIAN_FRONTEND is persisted into the image with ENV", ""},
      {"DG130", Severity::Low, "pip install without --no-cache-dir", "DL3042"},
      {"DG131", Severity::Low, "Dependencies are installed after the whole source is copied", ""},
      {"DG140", Severity::Medium, "ADD used for local files (use COPY)", "DL3020"},
      {"DG141", Severity::Low, "No .dockerignore beside the Dockerfile", ""},
      {"DG142", Severity::Low, ".dockerignore does not exclude .git", ""},
      {"DG150", Severity::Medium, "CMD/ENTRYPOINT in shell form: signals do not reach the app", "DL3025"},
      {"DG151", Severity::Low, "No HEALTHCHECK in the final stage", ""},
      {"DG160", Severity::Info, "PYTHONFAULTHANDLER is not set", ""},
      {"DG161", Severity::Info, "PYTHONUNBUFFERED is not set", ""},
      {"DG162", Severity::Info, "No git commit/branch label", ""},
      {"DG163", Severity::Info, "No source/maintainer label", ""},
      {"DG170", Severity::Medium, "Compilers installed in a single-stage build (use multi-stage)", ""},
      {"DG171", Severity::Info, "Consecutive RUN instructions could be merged", "DL3059"},
  };
  return r;
}

const RuleInfo* find_rule(std::string_view id) {
  auto& r = rules();
  auto it = std::find_if(r.begin(), r.end(), [&](const RuleInfo& x) { return x.id == id; });
  return it == r.end() ? nullptr : &*it;
}

std::string run_script(const Instruction& ins) {
  std::string s;
  if (ins.json_form) {
    for (auto& a : ins.json_args) s += a + " ";
  } else {
    s = ins.args;
  }
  for (auto& h : ins.heredocs) s += "\n" + h.body;
  return s;
}

std::vector<Command> run_commands(const Instruction& ins) { return split_commands(run_script(ins)); }

bool is_apt(const Command& c) {
  auto p = program(c);
  return p == "apt-get" || p == "apt";
}

std::string apt_subcommand(const Command& c) {
  bool after = false;
  for (auto& w : c.words) {
    auto slash = w.rfind('/');
    std::string base = slash == std::string::npos ? w : w.substr(slash + 1);
    if (!after) {
      after = base == "apt-get" || base == "apt";
      continue;
    }
    if (!w.starts_with('-')) return w;
  }
  return {};
}

bool is_pip_install(const Command& c) {
  auto p = program(c);
  bool pip = p == "pip" || p == "pip3" || p.starts_with("pip3.");
  if (!pip && (p.starts_with("python"))) pip = c.has("pip") && c.has("-m");
  return pip && c.has("install");
}

}  // namespace dg::lint
