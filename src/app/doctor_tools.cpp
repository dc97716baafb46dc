// doctor: the outside programs, found on PATH and asked for their version.
#include <charconv>
#include <filesystem>
#include <regex>

#include "src/app/doctor.hpp"
#include "src/util/process.hpp"

namespace dg::app::doctor {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::Info: return "info";
    case Status::Warn: return "warn";
    case Status::Missing: return "missing";
    case Status::Error: return "error";
  }
  return "?";
}

const std::vector<ToolInfo>& known_tools() {
  // The ranges are the report formats the parsers and the corpus cover: hadolint 2's JSON,
  // trivy's SchemaVersion 2 (0.20 on), grype's matches with relatedVulnerabilities (0.40 on),
  // bandit 1.6 on. docker, skopeo and umoci are run, never parsed.
  static const std::vector<ToolInfo> tools{
      {"hadolint", {"--version"}, true, 2, 0, 3},
      {"trivy", {"--version"}, true, 0, 20, 1},
      {"grype", {"--version"}, true, 0, 40, 1},
      {"bandit", {"--version"}, true, 1, 6, 2},
      {"docker", {"--version"}, false, 0, 0, 0},
      {"skopeo", {"--version"}, false, 0, 0, 0},
      {"umoci", {"--version"}, false, 0, 0, 0},
  };
  return tools;
}

std::string version_in(std::string_view text) {
  static const std::regex re(R"((\d+)\.(\d+)(\.\d+)?)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(text.begin(), text.end(), m, re)) return {};
  return m.str(0);
}

bool known_version(const ToolInfo& tool, std::string_view version) {
  if (!tool.parsed) return true;
  int major = -1, minor = -1;
  auto dot = version.find('.');
  if (dot == std::string_view::npos) return false;
  // from_chars reads a range, not a C string: the ends are named.
  const char* begin = version.data();
  const char* end = begin + version.size();
  std::from_chars(begin, begin + dot, major);
  std::from_chars(begin + dot + 1, end, minor);
  if (major < 0 || minor < 0) return false;
  if (major < tool.min_major || (major == tool.min_major && minor < tool.min_minor)) return false;
  return tool.below_major == 0 || major < tool.below_major;
}

std::map<std::string, std::string> needed_tools(const Config& cfg) {
  std::map<std::string, std::string> need;
  auto exe = [](const steps::ToolStep& t, const std::string& name) { return t.tool.empty() ? name : t.tool; };
  if (cfg.lint.configured && cfg.lint.report.empty()) {
    // builtin needs nothing; an unset mode falls back to the built-in rules without hadolint.
    const auto& mode = cfg.lint.tool;
    if (mode == "hadolint" || mode == "both") need["hadolint"] = "steps.lint.tool";
    else if (!mode.empty() && mode != "builtin") need[mode] = "steps.lint.tool";
  }
  if (cfg.trivy.configured && cfg.trivy.report.empty()) need[exe(cfg.trivy, "trivy")] = "steps.trivy";
  if (cfg.grype.configured && cfg.grype.report.empty()) need[exe(cfg.grype, "grype")] = "steps.grype";
  if (cfg.bandit.configured && cfg.bandit.report.empty()) need[exe(cfg.bandit, "bandit")] = "steps.bandit";
  if (cfg.smoke.configured) {
    if (!cfg.smoke.run.empty()) need[cfg.smoke.run.front()] = "steps.smoke-test.run";
    else need["docker"] = "steps.smoke-test.image";
  }
  if (cfg.size.configured && cfg.size.archive.empty() && cfg.size.inspect.empty() && cfg.size.oci.empty())
    need["docker"] = "steps.image-size.image";
  return need;
}

namespace {

std::string first_line(const std::string& text) {
  auto nl = text.find('\n');
  return text.substr(0, nl);
}

Check probe(const std::string& name, const std::vector<std::string>& args, const ToolInfo* info) {
  Check c{"tools", name, Status::Ok, {}, false};
  auto path = name.find('/') != std::string::npos ? (std::filesystem::exists(name) ? name : "") : util::which(name);
  if (path.empty()) {
    c.status = Status::Missing;
    c.detail = "not on PATH";
    return c;
  }
  util::ProcessSpec spec;
  spec.argv = {path};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::seconds(20);  // trivy and grype may check their databases first
  spec.max_output = 64 << 10;
  auto r = util::run_process(spec);
  std::string version;
  if (r && !r->timed_out && r->signal == 0) version = version_in(r->out + "\n" + r->err);
  if (version.empty()) {
    c.status = Status::Warn;
    c.detail = path + ": no version from '" + name + " " + (args.empty() ? "" : args.front()) + "'" +
               (r && !r->err.empty() ? " (" + first_line(r->err) + ")" : "");
    return c;
  }
  c.detail = version + " at " + path;
  if (info && info->parsed) {
    if (known_version(*info, version)) {
      c.detail += " (a version dockgate's parsers know)";
    } else {
      c.status = Status::Warn;
      c.detail += " (not a version dockgate's parsers were tested with: " + std::to_string(info->min_major) + "." +
                  std::to_string(info->min_minor) + " up to " +
                  (info->below_major ? "below " + std::to_string(info->below_major) + ".0" : std::string("any")) + ")";
    }
  }
  return c;
}

}  // namespace

std::vector<Check> check_tools(const Config* cfg) {
  std::map<std::string, std::string> need;
  if (cfg) need = needed_tools(*cfg);
  std::vector<Check> out;
  for (auto& t : known_tools()) {
    auto c = probe(t.name, t.version_args, &t);
    if (auto it = need.find(t.name); it != need.end()) {
      c.required = true;
      c.detail += " (needed by " + it->second + ")";
      need.erase(it);
    } else if (c.status == Status::Missing) {
      c.status = Status::Info;
      c.detail += " (dockgate.yml does not need it)";
    }
    out.push_back(std::move(c));
  }
  // Executables dockgate.yml names that are not in the table (a custom trivy path, a smoke command).
  // Only looked up, never run: a smoke-test command started without its arguments may be a server.
  for (auto& [exe, key] : need) {
    auto path = exe.find('/') != std::string::npos ? (std::filesystem::exists(exe) ? exe : "") : util::which(exe);
    Check c{"tools", exe, path.empty() ? Status::Missing : Status::Ok,
            (path.empty() ? "not found" : "found at " + path) + " (needed by " + key + ")", true};
    out.push_back(std::move(c));
  }
  return out;
}

int exit_code_of(const std::vector<Check>& checks) {
  int code = 0;
  for (auto& c : checks) {
    if (!c.required || (c.status != Status::Missing && c.status != Status::Error)) continue;
    if (c.section == "config") return 2;
    code = 4;
  }
  return code;
}

}  // namespace dg::app::doctor
