#include "src/steps/image/image_config_checks.hpp"

#include <charconv>

#include "src/util/text.hpp"

namespace dg::steps::image {

namespace {

using model::Severity;

std::string env_value(const ImageConfig& c, std::string_view key) {
  for (auto& kv : c.env)
    if (kv.size() > key.size() && kv.compare(0, key.size(), key) == 0 && kv[key.size()] == '=')
      return kv.substr(key.size() + 1);
  return {};
}

bool runs_as_root(const std::string& user) {
  std::string u = util::trim(user);
  auto colon = u.find(':');
  std::string name = colon == std::string::npos ? u : u.substr(0, colon);
  return name.empty() || name == "root" || name == "0";
}

// "80/tcp" -> 80; nullopt for a range or garbage.
std::optional<int> port_number(std::string_view spec) {
  auto slash = spec.find('/');
  auto num = spec.substr(0, slash);
  int port = 0;
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), port);
  if (ec != std::errc() || p != num.data() + num.size()) return std::nullopt;
  return port;
}

std::string os_release_id(const std::string& text) {
  for (auto& line : util::split(text, '\n')) {
    auto l = util::trim(line);
    if (!l.starts_with("ID=")) continue;
    std::string v = l.substr(3);
    if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'')) v = v.substr(1, v.size() - 2);
    return util::to_lower(v);
  }
  return {};
}

bool mentions(const std::string& text, std::string_view word) {
  return util::to_lower(text).find(word) != std::string::npos;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view t) {
  auto num = [&t](std::size_t pos, std::size_t len) -> std::optional<int> {
    if (pos + len > t.size()) return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(t.data() + pos, t.data() + pos + len, v);
    if (ec != std::errc() || p != t.data() + pos + len) return std::nullopt;
    return v;
  };
  auto y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't' && t[10] != ' '))
    return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  auto tp = sys_days(ymd) + hours(*h) + minutes(*mi) + seconds(*s);
  std::size_t pos = 19;
  if (pos < t.size() && t[pos] == '.')
    for (++pos; pos < t.size() && t[pos] >= '0' && t[pos] <= '9';) ++pos;
  if (pos >= t.size()) return std::nullopt;
  if (t[pos] == 'Z' || t[pos] == 'z') return tp;
  if (t[pos] != '+' && t[pos] != '-') return std::nullopt;
  auto oh = num(pos + 1, 2), om = num(pos + 4, 2);
  if (!oh || !om) return std::nullopt;
  auto offset = hours(*oh) + minutes(*om);
  return t[pos] == '+' ? tp - offset : tp + offset;
}

model::Finding image_finding(std::string rule, Severity sev, std::string title, std::string message,
                             const Image& img, const std::string& stable_key) {
  model::Finding f;
  f.tool = "dockgate";
  f.kind = model::Kind::Image;
  f.rule_id = std::move(rule);
  f.severity = sev;
  f.tool_severity = std::string(model::to_string(sev));
  f.title = std::move(title);
  f.message = std::move(message);
  f.location.target = img.name.empty() ? img.source : img.name;
  // GitHub's heading anchors: "### image/root-user" becomes #imageroot-user; size gates share a table.
  f.help_uri = f.rule_id.starts_with("image/") ? "docs/image-size.md#image" + f.rule_id.substr(6)
                                               : "docs/image-size.md#gates";
  // The image tag changes with every commit; the fingerprint must not.
  f.fingerprint = util::sha256_hex("image\x1f" + f.rule_id + '\x1f' + stable_key).substr(0, 32);
  return f;
}

std::vector<model::Finding> check_image_config(const ConfigCheckInputs& in) {
  std::vector<model::Finding> out;
  const Image& img = *in.image;
  const ImageConfig& c = img.config;

  if (runs_as_root(c.user))
    out.push_back(image_finding("image/root-user", Severity::Medium, "The image runs as root",
                                c.user.empty() ? "The config sets no User, so the container runs as root. Add a "
                                                 "non-root USER to the final stage."
                                               : "The config sets User \"" + c.user +
                                                     "\", which is root. Run as a non-root USER.",
                                img));

  std::vector<std::string> low_ports;
  for (auto& p : c.exposed_ports)
    if (auto n = port_number(p); n && *n < 1024) low_ports.push_back(p);
  if (!low_ports.empty()) {
    std::string list;
    for (auto& p : low_ports) list += (list.empty() ? "" : ", ") + p;
    out.push_back(image_finding("image/privileged-port", Severity::Low, "The image exposes a port below 1024",
                                "Exposed " + list +
                                    ": binding a port below 1024 needs root or CAP_NET_BIND_SERVICE. Listen on a "
                                    "port >= 1024 and map it at run time.",
                                img, list));
  }

  if (!c.has_healthcheck)
    out.push_back(image_finding("image/no-healthcheck", Severity::Low, "The image has no HEALTHCHECK",
                                "No HEALTHCHECK: docker and orchestrators cannot tell a hung service from a "
                                "healthy one. Add a HEALTHCHECK that probes the service.",
                                img));

  static const char* kRevision[] = {"org.opencontainers.image.revision", "org.label-schema.vcs-ref", "vcs-ref",
                                    "git-commit", "git.commit", "com.gitlab.ci.commit"};
  static const char* kSource[] = {"org.opencontainers.image.source", "org.label-schema.vcs-url", "vcs-url",
                                  "git-url", "git.url", "com.gitlab.ci.url", "org.opencontainers.image.url"};
  auto has_any = [&c](auto& keys) {
    for (const char* k : keys)
      if (auto it = c.labels.find(k); it != c.labels.end() && !util::trim(it->second).empty()) return true;
    return false;
  };
  bool revision = has_any(kRevision), source = has_any(kSource);
  if (!revision || !source) {
    std::string missing = !revision && !source ? "org.opencontainers.image.revision and org.opencontainers.image.source"
                          : !revision          ? "org.opencontainers.image.revision"
                                               : "org.opencontainers.image.source";
    out.push_back(image_finding("image/no-vcs-labels", Severity::Low, "The image does not say which commit built it",
                                "Missing label " + missing +
                                    ": set them from CI (LABEL or docker build --label) so a running image can be "
                                    "traced back to its commit and repository.",
                                img, missing));
  }

  if (in.max_age_days) {
    if (auto created = parse_rfc3339(c.created)) {
      auto age = std::chrono::duration_cast<std::chrono::hours>(in.now - *created).count() / 24;
      if (age > *in.max_age_days)
        out.push_back(image_finding("image/too-old", Severity::High, "The image is older than the allowed age",
                                    "Created " + c.created + ", " + std::to_string(age) + " days ago (max-age-days " +
                                        std::to_string(*in.max_age_days) +
                                        "). Rebuild regularly so base-image security fixes reach it.",
                                    img));
    }
  }

  // Python on musl: most wheels on PyPI are built for glibc, so pip compiles from source: slower
  // builds, bigger images, subtle runtime differences.
  std::string os_release;
  bool alpine_release = false;
  if (in.analysis) {
    auto& f = in.analysis->final_small_files;
    if (auto it = f.find("etc/os-release"); it != f.end()) os_release = it->second;
    else if (auto it2 = f.find("usr/lib/os-release"); it2 != f.end()) os_release = it2->second;
    alpine_release = f.count("etc/alpine-release") > 0;
  }
  std::string base_label;
  for (const char* k : {"org.opencontainers.image.base.name", "base-image", "org.label-schema.base-image"})
    if (auto it = c.labels.find(k); it != c.labels.end()) base_label = it->second;
  bool alpine = os_release_id(os_release) == "alpine" || alpine_release || mentions(base_label, "alpine") ||
                (os_release.empty() && !in.analysis && mentions(img.name, "alpine"));
  bool python = !env_value(c, "PYTHON_VERSION").empty() || (in.analysis && in.analysis->has_python) ||
                mentions(base_label, "python");
  if (alpine && python)
    out.push_back(image_finding("image/alpine-python", Severity::Medium, "A Python image on an Alpine base",
                                "The image runs Python on Alpine (musl libc): most PyPI wheels target glibc, so "
                                "pip builds from source, which makes builds slower and images bigger. Prefer a "
                                "slim Debian base (python:3.x-slim) or distroless.",
                                img));
  return out;
}

}  // namespace dg::steps::image
