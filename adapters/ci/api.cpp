#include <cctype>
#include <nlohmann/json.hpp>

#include "adapters/ci/api.hpp"
#include "adapters/ci/platforms.hpp"
#include "src/util/json_depth.hpp"
#include "src/util/text.hpp"

namespace dg::ci {

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

std::string origin_of(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  auto host_start = scheme_end + 3;
  auto host_end = url.find_first_of("/?#", host_start);
  std::string_view authority = url.substr(host_start, host_end == std::string_view::npos ? url.npos : host_end - host_start);
  // Userinfo (user:token@host) is a credential: never part of what we compare or print.
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  return util::to_lower(url.substr(0, scheme_end)) + "://" + util::to_lower(authority);
}

std::string path_of(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::string(url);
  auto slash = url.find('/', scheme_end + 3);
  return slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string next_link(const std::string& link_header) {
  // <https://api.github.com/resource?page=2>; rel="next", <…?page=5>; rel="last"
  for (auto& part : util::split(link_header, ',')) {
    auto lt = part.find('<');
    auto gt = part.find('>', lt == std::string::npos ? 0 : lt);
    if (lt == std::string::npos || gt == std::string::npos) continue;
    auto params = part.substr(gt + 1);
    for (auto& p : util::split(params, ';')) {
      auto kv = util::trim(p);
      if (kv == "rel=\"next\"" || kv == "rel=next") return part.substr(lt + 1, gt - lt - 1);
      // rel may list several relations: rel="next last"
      if (kv.starts_with("rel=\"")) {
        for (auto& r : util::split(kv.substr(5, kv.size() > 6 ? kv.size() - 6 : 0), ' '))
          if (r == "next") return part.substr(lt + 1, gt - lt - 1);
      }
    }
  }
  return {};
}

bool ApiClient::same_origin(const std::string& url) const {
  auto o = origin_of(url);
  return !o.empty() && o == origin_of(base_);
}

static std::string_view status_text(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

nlohmann::json parse_untrusted_json(std::string_view text) {
  if (util::json_too_deep_at(text) != std::string_view::npos) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, false);
}

util::Error ApiClient::error(const std::string& method, const std::string& url, const util::HttpResponse& r,
                             std::string_view hint) const {
  std::string msg = platform_ + ": " + method + " " + path_of(url) + ": HTTP " + std::to_string(r.status);
  if (auto t = status_text(r.status); !t.empty()) (msg += " ") += t;
  // Both APIs explain themselves in a "message" field (GitLab also uses "error").
  auto j = parse_untrusted_json(r.body);
  std::string said;
  if (j.is_object()) {
    for (const char* key : {"message", "error", "error_description"}) {
      auto it = j.find(key);
      if (it == j.end()) continue;
      said = it->is_string() ? it->get<std::string>() : it->dump();
      break;
    }
  }
  // Redacted before it is shortened: a cut through an echoed token would leave a prefix of it
  // that no longer matches the whole token.
  if (!said.empty()) msg += ": " + util::truncate_utf8(util::normalize_space(redact(said)), 300);
  if (!hint.empty()) msg += std::string(" (") + std::string(hint) + ")";
  util::Error e;
  e.kind = util::ErrorKind::Step;
  e.message = redact(std::move(msg));
  return e;
}

}  // namespace dg::ci
