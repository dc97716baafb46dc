// dockgate.yml: defaults, then the file, then DOCKGATE_* from the environment (the CLI is
// applied on top by resolve_config). Every mistake is a Usage error at file:line:col.
#include "src/app/config.hpp"

#include <charconv>
#include <cctype>
#include <cmath>

#include "src/app/yaml_fields.hpp"
#include "src/util/file.hpp"
#include "src/util/log.hpp"
#include "src/util/text.hpp"

namespace dg::app {
namespace {

using yaml::Doc;
using yaml::fail_at;

struct Loader {
  Doc doc;
  const Env& env;
  std::string image;  // the top-level image, for ${image} inside steps
  bool in_steps = false;

  // ${VAR} and ${VAR:-default} from the environment; ${image} inside steps is the top-level
  // image; $$ is a literal $. An unset variable expands to nothing (with a warning), so a
  // local run without CI variables still loads.
  std::string expand(const YAML::Node& n, const std::string& s) const {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] != '$' || i + 1 >= s.size()) {
        out += s[i];
        continue;
      }
      if (s[i + 1] == '$') {
        out += '$';
        ++i;
        continue;
      }
      if (s[i + 1] != '{') {
        out += s[i];
        continue;
      }
      auto close = s.find('}', i + 2);
      if (close == std::string::npos) fail_at(doc, n.Mark(), "unterminated ${ in '" + s + "'");
      std::string name = s.substr(i + 2, close - i - 2), fallback;
      bool has_fallback = false;
      if (auto d = name.find(":-"); d != std::string::npos) {
        fallback = name.substr(d + 2);
        name.resize(d);
        has_fallback = true;
      }
      if (name.empty()) fail_at(doc, n.Mark(), "empty ${} in '" + s + "'");
      if (name == "image" && in_steps) {
        out += image.empty() ? fallback : image;
      } else if (auto it = env.find(name); it != env.end() && !it->second.empty()) {
        out += it->second;
      } else {
        if (!has_fallback)
          spdlog::warn("{}:{}: ${{{}}} is not set; it expands to nothing", doc.file, n.Mark().line + 1, name);
        out += fallback;
      }
      i = close;
    }
    return out;
  }

  std::string str(const YAML::Node& n, std::string_view what) const { return expand(n, yaml::scalar(doc, n, what)); }
  std::vector<std::string> list(const YAML::Node& n, std::string_view what) const {
    auto v = yaml::strings(doc, n, what);
    std::size_t i = 0;
    if (n.IsSequence())
      for (auto el : n) v[i] = expand(el, v[i]), ++i;
    else if (!v.empty())
      v[0] = expand(n, v[0]);
    return v;
  }

  Seconds duration(const YAML::Node& n, std::string_view what) const {
    auto d = parse_duration(str(n, what));
    if (!d) fail_at(doc, n.Mark(), std::string(what) + ": " + d.error().message);
    return *d;
  }
  std::uint64_t size(const YAML::Node& n, std::string_view what) const {
    auto b = parse_size(str(n, what));
    if (!b) fail_at(doc, n.Mark(), std::string(what) + ": " + b.error().message);
    return *b;
  }
  // 0..1, written as a ratio (0.9) or a percentage ("90%").
  double ratio(const YAML::Node& n, std::string_view what) const {
    std::string s = util::trim(str(n, what));
    double v = 0;
    bool percent = !s.empty() && s.back() == '%';
    if (percent) s.pop_back();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size())
      fail_at(doc, n.Mark(), std::string(what) + " must be a ratio (0.9) or a percentage (90%), not '" + n.Scalar() + "'");
    if (percent) v /= 100;
    if (v < 0 || v > 1) fail_at(doc, n.Mark(), std::string(what) + " must be between 0 and 1 (0% and 100%)");
    return v;
  }
  model::Severity severity(const YAML::Node& n, std::string_view what) const {
    auto s = model::parse_severity(yaml::scalar(doc, n, what));
    if (!s) fail_at(doc, n.Mark(), std::string(what) + " must be one of critical, high, medium, low, info, unknown; not '" +
                                       n.Scalar() + "'");
    return *s;
  }
  std::optional<model::Severity> fail_on(const YAML::Node& n, std::string_view what) const {
    if (util::iequals(yaml::scalar(doc, n, what), "none")) return std::nullopt;
    auto s = model::parse_severity(n.Scalar());
    if (!s) fail_at(doc, n.Mark(), std::string(what) + " must be one of critical, high, medium, low, info, none; not '" +
                                       n.Scalar() + "'");
    return s;
  }
  std::map<model::Severity, long> max(const YAML::Node& n, std::string_view what) const {
    yaml::need_map(doc, n, what);
    yaml::check_keys(doc, n, {"critical", "high", "medium", "low", "info", "unknown"}, what);
    std::map<model::Severity, long> out;
    if (n.IsMap())
      for (auto it = n.begin(); it != n.end(); ++it)
        out[*model::parse_severity(it->first.Scalar())] =
            yaml::integer(doc, it->second, std::string(what) + "." + it->first.Scalar(), 0, 1L << 40);
    return out;
  }

  // `lint: {}`, `lint:` and `lint: true` turn a step on; `lint: false` leaves it off.
  bool step_on(const YAML::Node& n, std::string_view what) const {
    if (n.IsScalar()) return yaml::boolean(doc, n, what);
    yaml::need_map(doc, n, what);
    return true;
  }

  void tool_step(const YAML::Node& n, std::string_view name, steps::ToolStep& t, bool with_paths) const {
    std::string where = "steps." + std::string(name);
    if (with_paths) yaml::check_keys(doc, n, {"tool", "args", "paths", "report", "timeout"}, where);
    else yaml::check_keys(doc, n, {"tool", "args", "report", "timeout"}, where);
    tool_fields(n, where, t);
  }
  void tool_fields(const YAML::Node& n, const std::string& where, steps::ToolStep& t) const {
    if (!n.IsMap()) return;
    if (auto v = n["tool"]) t.tool = str(v, where + ".tool");
    if (auto v = n["args"]) t.args = list(v, where + ".args");
    if (auto v = n["paths"]) t.paths = list(v, where + ".paths");
    if (auto v = n["report"]) t.report = str(v, where + ".report");
    if (auto v = n["timeout"]) t.timeout = duration(v, where + ".timeout");
  }

  void lint(const YAML::Node& n, steps::LintStep& l) const {
    const std::string where = "steps.lint";
    yaml::check_keys(doc, n, {"tool", "args", "disable", "severity", "report", "timeout"}, where);
    tool_fields(n, where, l);
    if (!n.IsMap()) return;
    if (auto v = n["tool"]; v && l.tool != "builtin" && l.tool != "hadolint" && l.tool != "both")
      fail_at(doc, v.Mark(), where + ".tool must be builtin, hadolint or both; not '" + l.tool + "'");
    if (auto v = n["disable"]) l.disable = list(v, where + ".disable");
    if (auto v = n["severity"]) {
      yaml::need_map(doc, v, where + ".severity");
      if (v.IsMap())
        for (auto it = v.begin(); it != v.end(); ++it)
          l.severity[yaml::scalar(doc, it->first, where + ".severity")] =
              severity(it->second, where + ".severity." + it->first.Scalar());
    }
  }

  void smoke(const YAML::Node& n, steps::SmokeStep& s) const {
    const std::string w = "steps.smoke-test";
    yaml::check_keys(doc, n,
                     {"run", "image", "ports", "url", "expect-status", "expect-body", "timeout", "interval",
                      "stop-timeout", "check-stop", "check-non-root", "log-lines"},
                     w);
    if (!n.IsMap()) return;
    if (auto v = n["run"]) {
      if (v.IsScalar())
        fail_at(doc, v.Mark(), w + ".run must be a list of arguments (it runs without a shell), e.g. [docker, run, --rm, IMAGE]");
      s.run = list(v, w + ".run");
    }
    if (auto v = n["image"]) s.image = str(v, w + ".image");
    if (auto v = n["ports"]) s.ports = list(v, w + ".ports");
    if (auto v = n["url"]) s.url = str(v, w + ".url");
    if (auto v = n["expect-status"]) s.expect_status = static_cast<int>(yaml::integer(doc, v, w + ".expect-status", 100, 599));
    if (auto v = n["expect-body"]) s.expect_body = str(v, w + ".expect-body");
    if (auto v = n["timeout"]) s.timeout = duration(v, w + ".timeout");
    if (auto v = n["interval"]) s.interval = duration(v, w + ".interval");
    if (auto v = n["stop-timeout"]) s.stop_timeout = duration(v, w + ".stop-timeout");
    if (auto v = n["check-stop"]) s.check_stop = yaml::boolean(doc, v, w + ".check-stop");
    if (auto v = n["check-non-root"]) s.check_non_root = yaml::boolean(doc, v, w + ".check-non-root");
    if (auto v = n["log-lines"]) s.log_lines = static_cast<int>(yaml::integer(doc, v, w + ".log-lines", 0, 100000));
  }

  void size_step(const YAML::Node& n, steps::SizeStep& s) const {
    const std::string w = "steps.image-size";
    yaml::check_keys(doc, n,
                     {"image", "inspect", "archive", "oci", "baseline", "max", "max-growth", "lowest-efficiency",
                      "highest-wasted-bytes", "highest-user-wasted-percent", "max-age-days"},
                     w);
    if (!n.IsMap()) return;
    if (auto v = n["image"]) s.image = str(v, w + ".image");
    if (auto v = n["inspect"]) s.inspect = str(v, w + ".inspect");
    if (auto v = n["archive"]) s.archive = str(v, w + ".archive");
    if (auto v = n["oci"]) s.oci = str(v, w + ".oci");
    if (auto v = n["baseline"]) s.baseline = str(v, w + ".baseline");
    if (auto v = n["max"]) s.max_bytes = size(v, w + ".max");
    if (auto v = n["max-growth"]) {
      std::string g = util::trim(str(v, w + ".max-growth"));
      if (!g.empty() && g.back() == '%') {
        double pct = 0;
        auto [p, ec] = std::from_chars(g.data(), g.data() + g.size() - 1, pct);
        if (g.size() == 1 || ec != std::errc() || p != g.data() + g.size() - 1 || pct < 0)
          fail_at(doc, v.Mark(), w + ".max-growth: '" + g + "' is not a percentage (10%) or a size (50MB)");
        s.max_growth_percent = pct;
      } else {
        s.max_growth_bytes = size(v, w + ".max-growth");
      }
    }
    if (auto v = n["lowest-efficiency"]) s.lowest_efficiency = ratio(v, w + ".lowest-efficiency");
    if (auto v = n["highest-wasted-bytes"]) s.highest_wasted_bytes = size(v, w + ".highest-wasted-bytes");
    if (auto v = n["highest-user-wasted-percent"])
      s.highest_user_wasted_percent = ratio(v, w + ".highest-user-wasted-percent");
    if (auto v = n["max-age-days"]) s.max_age_days = static_cast<int>(yaml::integer(doc, v, w + ".max-age-days", 0, 100000));
  }

  void steps_block(const YAML::Node& n, Config& c) {
    yaml::need_map(doc, n, "steps");
    yaml::check_keys(doc, n, {"lint", "trivy", "grype", "bandit", "smoke-test", "image-size"}, "steps");
    if (!n.IsMap()) return;
    in_steps = true;
    if (auto v = n["lint"]) {
      c.lint.configured = step_on(v, "steps.lint");
      if (c.lint.configured) lint(v, c.lint);
    }
    if (auto v = n["trivy"]) {
      c.trivy.configured = step_on(v, "steps.trivy");
      if (c.trivy.configured) tool_step(v, "trivy", c.trivy, false);
    }
    if (auto v = n["grype"]) {
      c.grype.configured = step_on(v, "steps.grype");
      if (c.grype.configured) tool_step(v, "grype", c.grype, false);
    }
    if (auto v = n["bandit"]) {
      c.bandit.configured = step_on(v, "steps.bandit");
      if (c.bandit.configured) tool_step(v, "bandit", c.bandit, true);
    }
    if (auto v = n["smoke-test"]) {
      c.smoke.configured = step_on(v, "steps.smoke-test");
      if (c.smoke.configured) smoke(v, c.smoke);
    }
    if (auto v = n["image-size"]) {
      c.size.configured = step_on(v, "steps.image-size");
      if (c.size.configured) size_step(v, c.size);
    }
    in_steps = false;
  }

  void policy_block(const YAML::Node& n, policy::Policy& p) const {
    yaml::need_map(doc, n, "policy");
    yaml::check_keys(doc, n,
                     {"fail-on", "max", "ignore-unfixed", "new-only", "unknown-severity", "dedup", "fail-on-kev",
                      "epss-threshold", "steps"},
                     "policy");
    if (!n.IsMap()) return;
    if (auto v = n["fail-on"]) p.fail_on = fail_on(v, "policy.fail-on");
    if (auto v = n["max"]) p.max = max(v, "policy.max");
    if (auto v = n["ignore-unfixed"]) p.ignore_unfixed = yaml::boolean(doc, v, "policy.ignore-unfixed");
    if (auto v = n["new-only"]) p.new_only = yaml::boolean(doc, v, "policy.new-only");
    if (auto v = n["unknown-severity"]) p.unknown_as = severity(v, "policy.unknown-severity");
    if (auto v = n["dedup"]) p.dedup = yaml::boolean(doc, v, "policy.dedup");
    if (auto v = n["fail-on-kev"]) p.fail_on_kev = yaml::boolean(doc, v, "policy.fail-on-kev");
    if (auto v = n["epss-threshold"]) p.epss_threshold = ratio(v, "policy.epss-threshold");
    if (auto v = n["steps"]) {
      yaml::need_map(doc, v, "policy.steps");
      if (!v.IsMap()) return;
      // Any step name: a generic SARIF tool is a step named after the tool.
      for (auto it = v.begin(); it != v.end(); ++it) {
        std::string name = yaml::scalar(doc, it->first, "policy.steps");
        std::string w = "policy.steps." + name;
        // A copy (a Node is a handle): yaml-cpp's `it->` returns a temporary proxy, and a
        // reference to its member dangles at the end of this statement (ASan: stack-use-after-scope).
        const YAML::Node sn = it->second;
        yaml::need_map(doc, sn, w);
        yaml::check_keys(doc, sn, {"fail-on", "max", "ignore-unfixed", "fail-on-kev", "epss-threshold"}, w);
        policy::StepPolicy sp;
        if (sn.IsMap()) {
          if (auto x = sn["fail-on"]) {
            sp.has_fail_on = true;
            sp.fail_on = fail_on(x, w + ".fail-on");
          }
          if (auto x = sn["max"]) sp.max = max(x, w + ".max");
          if (auto x = sn["ignore-unfixed"]) sp.ignore_unfixed = yaml::boolean(doc, x, w + ".ignore-unfixed");
          if (auto x = sn["fail-on-kev"]) sp.fail_on_kev = yaml::boolean(doc, x, w + ".fail-on-kev");
          if (auto x = sn["epss-threshold"]) sp.epss_threshold = ratio(x, w + ".epss-threshold");
        }
        p.steps[name] = std::move(sp);
      }
    }
  }

  void top(const YAML::Node& root, Config& c) {
    if (root.IsNull()) return;  // an empty file: defaults
    if (!root.IsMap()) fail_at(doc, root.Mark(), "dockgate.yml must be a mapping of keys (image:, steps:, policy:, …)");
    yaml::check_keys(doc, root,
                     {"image", "dockerfile", "results-dir", "jobs", "steps", "policy", "waivers", "baseline",
                      "strict-waivers", "docs-url", "kev", "epss", "review", "vex"},
                     "dockgate.yml");
    if (auto v = root["image"]) c.image = str(v, "image");
    if (auto it = env.find("DOCKGATE_IMAGE"); it != env.end() && !it->second.empty()) c.image = it->second;
    image = c.image;
    if (auto v = root["dockerfile"]) c.dockerfile = str(v, "dockerfile");
    if (auto v = root["results-dir"]) c.results_dir = str(v, "results-dir");
    if (auto v = root["jobs"]) c.jobs = static_cast<int>(yaml::integer(doc, v, "jobs", 0, 1024));
    if (auto v = root["waivers"]) c.waivers = str(v, "waivers");
    if (auto v = root["baseline"]) c.baseline = str(v, "baseline");
    if (auto v = root["strict-waivers"]) c.strict_waivers = yaml::boolean(doc, v, "strict-waivers");
    if (auto v = root["vex"]) c.vex = list(v, "vex");
    if (auto v = root["review"]) c.review = yaml::boolean(doc, v, "review");
    if (auto v = root["kev"]) c.kev = list(v, "kev");
    if (auto v = root["epss"]) c.epss = list(v, "epss");
    if (auto v = root["docs-url"]) {
      c.docs_url = str(v, "docs-url");
      while (c.docs_url.ends_with('/')) c.docs_url.pop_back();
      if (!c.docs_url.starts_with("https://") && !c.docs_url.starts_with("http://"))
        fail_at(doc, v.Mark(), "docs-url must be an absolute http(s) URL (the links are read outside this repository)");
    }
    if (auto v = root["policy"]) policy_block(v, c.policy);
    if (auto v = root["steps"]) steps_block(v, c);
  }
};

util::Error env_error(const std::string& var, const std::string& value, const std::string& what) {
  util::Error e;
  e.kind = util::ErrorKind::Usage;
  e.message = var + "=" + value + ": " + what;
  return e;
}

// DOCKGATE_* beat the file; the CLI beats them (resolve_config).
util::Expected<void> apply_env(Config& c, const Env& env) {
  auto get = [&](const char* name) -> const std::string* {
    auto it = env.find(name);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
  };
  if (auto v = get("DOCKGATE_IMAGE")) c.image = *v;
  if (auto v = get("DOCKGATE_BASELINE")) c.baseline = *v;
  if (auto v = get("DOCKGATE_WAIVERS")) c.waivers = *v;
  if (auto v = get("DOCKGATE_RESULTS_DIR")) c.results_dir = *v;
  if (auto v = get("DOCKGATE_FAIL_ON")) {
    if (util::iequals(*v, "none")) c.policy.fail_on = std::nullopt;
    else if (auto s = model::parse_severity(*v)) c.policy.fail_on = s;
    else return std::unexpected(env_error("DOCKGATE_FAIL_ON", *v, "expected critical, high, medium, low, info or none"));
  }
  if (auto v = get("DOCKGATE_JOBS")) {
    int n = -1;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || p != v->data() + v->size() || n < 0 || n > 1024)
      return std::unexpected(env_error("DOCKGATE_JOBS", *v, "expected a number of parallel steps (0 = cores)"));
    c.jobs = n;
  }
  auto flag = [&](const char* name, auto set) -> util::Expected<void> {
    auto v = get(name);
    if (!v) return {};
    std::string s = util::to_lower(*v);
    if (s == "1" || s == "true" || s == "yes") set(true);
    else if (s == "0" || s == "false" || s == "no") set(false);
    else return std::unexpected(env_error(name, *v, "expected true or false"));
    return {};
  };
  if (auto r = flag("DOCKGATE_NEW_ONLY", [&](bool b) { c.policy.new_only = b; }); !r) return r;
  if (auto r = flag("DOCKGATE_IGNORE_UNFIXED", [&](bool b) { c.policy.ignore_unfixed = b; }); !r) return r;
  if (auto r = flag("DOCKGATE_STRICT_WAIVERS", [&](bool b) { c.strict_waivers = b; }); !r) return r;
  return {};
}

}  // namespace

util::Expected<Config> load_config(const std::filesystem::path& file, const Env& env) {
  Config c;
  if (!file.empty()) {
    c.file = file;
    auto text = util::read_file(file, 0, util::kMaxTextBytes);
    if (!text) {
      // A config the user named but we cannot read is a configuration error, not an input one.
      util::Error e = text.error();
      e.kind = util::ErrorKind::Usage;
      if (e.file.empty()) e.file = file.string();
      return std::unexpected(std::move(e));
    }
    Loader loader{Doc{file.string()}, env, {}};
    auto root = yaml::parse(loader.doc, *text);
    if (!root) return std::unexpected(root.error());
    try {
      loader.top(*root, c);
    } catch (const yaml::FieldError& e) {
      return std::unexpected(e.error);
    } catch (const YAML::Exception& e) {
      util::Error err{util::ErrorKind::Usage, e.msg, file.string()};
      if (!e.mark.is_null()) err.line = e.mark.line + 1, err.column = e.mark.column + 1;
      return std::unexpected(std::move(err));
    }
  }
  if (auto r = apply_env(c, env); !r) return std::unexpected(r.error());
  // Like trivy with .trivyignore: the conventional waiver file is read when it is there.
  if (std::error_code ec; c.waivers.empty() && std::filesystem::is_regular_file(".dockgate-waivers.yml", ec))
    c.waivers = ".dockgate-waivers.yml";
  // A step that names no image of its own looks at the top-level one.
  if (c.smoke.configured && c.smoke.run.empty() && c.smoke.image.empty()) c.smoke.image = c.image;
  if (c.size.configured && c.size.image.empty() && c.size.inspect.empty() && c.size.archive.empty() &&
      c.size.oci.empty())
    c.size.image = c.image;
  if (c.size.baseline.empty()) c.size.baseline = c.baseline;
  return c;
}

namespace {

// A number with an optional fraction, then the rest.
bool leading_number(std::string_view& s, double& v) {
  std::size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == 0) return false;
  const char* digits = s.data();  // from_chars reads [digits, digits + i): no terminator needed
  auto [p, ec] = std::from_chars(digits, digits + i, v);
  if (ec != std::errc() || p != digits + i) return false;
  s.remove_prefix(i);
  return true;
}

}  // namespace

util::Expected<std::uint64_t> parse_size(std::string_view text) {
  std::string t = util::trim(text);
  std::string_view s = t;
  double v = 0;
  if (!leading_number(s, v))
    return util::fail(util::ErrorKind::Usage, "'" + t + "' is not a size (e.g. 300MB, 1.5GiB, 500000)");
  std::string unit = util::to_lower(util::trim(s));
  static const std::pair<std::string_view, double> kUnits[] = {
      {"", 1},         {"b", 1},           {"k", 1e3},          {"kb", 1e3},          {"m", 1e6},
      {"mb", 1e6},     {"g", 1e9},         {"gb", 1e9},         {"t", 1e12},          {"tb", 1e12},
      {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0}, {"tib", 1099511627776.0}};
  for (auto& [u, mult] : kUnits) {
    if (unit != u) continue;
    double bytes = std::round(v * mult);
    if (!(bytes < 1.8e19)) return util::fail(util::ErrorKind::Usage, "'" + t + "' is too large");
    return static_cast<std::uint64_t>(bytes);
  }
  return util::fail(util::ErrorKind::Usage,
                    "'" + t + "': unknown size unit '" + util::trim(s) + "' (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
}

util::Expected<Seconds> parse_duration(std::string_view text) {
  std::string t = util::trim(text);
  std::string_view s = t;
  if (s.empty()) return util::fail(util::ErrorKind::Usage, "empty duration (e.g. 60s, 2m, 1m30s, 500ms)");
  double total = 0;
  bool first = true;
  while (!s.empty()) {
    double v = 0;
    if (!leading_number(s, v))
      return util::fail(util::ErrorKind::Usage, "'" + t + "' is not a duration (e.g. 60s, 2m, 1m30s, 500ms)");
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    std::size_t i = 0;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    std::string unit = util::to_lower(s.substr(0, i));
    s.remove_prefix(i);
    if (unit.empty() && first && s.empty()) unit = "s";  // a bare number is seconds
    double mult = unit == "ms" ? 0.001 : unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : -1;
    if (mult < 0)
      return util::fail(util::ErrorKind::Usage,
                        "'" + t + "': unknown duration unit '" + unit + "' (ms, s, m, h; e.g. 60s, 1m30s)");
    total += v * mult;
    first = false;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  }
  return Seconds(total);
}

}  // namespace dg::app
