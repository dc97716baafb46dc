// The sticky comment: a hidden marker makes a re-run edit its own comment instead of adding one,
// and keeps the comments of two pipelines on one PR apart.
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/ci/platforms.hpp"
#include "src/util/log.hpp"

namespace dg::ci {

using nlohmann::json;

std::string body_json(const std::string& text) {
  // Scanner text may hold invalid UTF-8; replace it rather than let dump() throw.
  return json{{"body", text}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

static std::string id_string(const json& v) {
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number_unsigned()) return std::to_string(v.get<unsigned long long>());
  if (v.is_string()) return v.get<std::string>();
  return {};
}

static std::string str_field(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

static bool ok(long status) { return status >= 200 && status < 300; }

// 401: the token is wrong (exit 4 with a message that says so). 403/404: the token may read but
// not write (fork PR, missing permission, job token): the caller degrades.
static util::Error refuse(ApiClient& api, const std::string& method, const std::string& url,
                                         const util::HttpResponse& r) {
  if (r.status == 401)
    return api.error(method, url, r,
                     "the token was rejected: check that the variable named by --token-env (or the platform's "
                     "default token variable) holds a valid, unexpired token");
  return api.error(method, url, r);
}

util::Expected<Upsert> upsert_comment(ApiClient& api, const CommentApi& ep, const std::string& body,
                                      const std::string& marker) {
  Upsert out;
  auto deny = [&](const std::string& method, const std::string& url, const util::HttpResponse& r) {
    out.action = "denied";
    out.denial = api.error(method, url, r).message;
    return out;
  };

  // 1. Find ours, page by page.
  // A list that never ends (a next link back to a page already read, or past max_pages) is an
  // error: posting a new comment without having seen every page could duplicate the sticky one.
  std::string found;
  std::string url = ep.list_url;
  std::set<std::string> seen;
  for (int page = 1; !url.empty(); ++page) {
    if (page > ep.max_pages || !seen.insert(url).second)
      return util::fail(util::ErrorKind::Step,
                        api.platform() + ": the list of comments did not end " +
                            (page > ep.max_pages ? "after " + std::to_string(ep.max_pages) + " pages"
                                                 : "(page " + std::to_string(page) + " links back to a page already read)") +
                            "; not posting, since a new comment could duplicate dockgate's sticky comment (" +
                            api.redact(path_of(url)) + ")");
    auto r = api.send("GET", url);
    if (!r) return std::unexpected(r.error());
    if (r->status == 403 || r->status == 404) return deny("GET", url, *r);
    if (!ok(r->status)) return std::unexpected(refuse(api, "GET", url, *r));
    auto list = parse_untrusted_json(r->body);
    if (!list.is_array())
      return util::fail(util::ErrorKind::Step,
                        api.platform() + ": GET " + path_of(url) + ": expected a JSON array of comments");
    for (auto& c : list) {
      if (!c.is_object()) continue;
      if (ep.skip_system_notes && c.value("system", false)) continue;
      if (str_field(c, "body").find(marker) == std::string::npos) continue;
      found = id_string(c.value("id", json()));
      out.url = str_field(c, "html_url");
      if (!found.empty()) break;
    }
    if (!found.empty()) break;

    std::string next;
    if (auto it = r->headers.find("link"); it != r->headers.end()) next = next_link(it->second);
    if (next.empty()) {
      // GitLab also says X-Next-Page: N (empty on the last page).
      if (auto it = r->headers.find("x-next-page"); it != r->headers.end() && !it->second.empty()) {
        auto q = ep.list_url.find('?');
        next = ep.list_url + (q == std::string::npos ? "?" : "&") + "page=" + url_encode(it->second);
      }
    }
    if (!next.empty() && !api.same_origin(next))
      return util::fail(util::ErrorKind::Step, api.platform() + ": the next-page link points to another host (" +
                                                   api.redact(origin_of(next)) + "); not sending the token there");
    url = next;
  }

  // 2. Update it, or create one.
  const std::string payload = body_json(body);
  std::string method = found.empty() ? "POST" : ep.update_method;
  std::string target = found.empty() ? ep.create_url : ep.update_url(found);
  auto r = api.send(method, target, payload);
  if (!r) return std::unexpected(r.error());
  if (r->status == 403 || r->status == 404) return deny(method, target, *r);
  if (!ok(r->status)) return std::unexpected(refuse(api, method, target, *r));
  out.action = found.empty() ? "created" : "updated";
  auto j = parse_untrusted_json(r->body);
  if (j.is_object()) {
    if (auto id = id_string(j.value("id", json())); !id.empty()) out.id = id;
    if (auto u = str_field(j, "html_url"); !u.empty()) out.url = u;
  }
  if (out.id.empty()) out.id = found;
  return out;
}

}  // namespace dg::ci
