#pragma once
// The REST client the platform adapters share: auth headers on every request, retries with
// backoff, pagination links, and errors whose text never carries the token.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapters/ci/ci.hpp"
#include "src/util/http.hpp"

namespace dg::ci {

// The most an API answer may be: a page of 100 comments of GitHub's 65,536 characters is under
// 7 MB; a larger answer is not one dockgate asked for, and is not read further.
inline constexpr std::size_t kMaxApiBody = std::size_t{32} << 20;

// JSON from the API or the runner (an answer, the event file): a discarded value when it is not
// JSON or nests deeper than util::kMaxJsonDepth (nlohmann builds a value per bracket: 32 MiB of
// '[' would take gigabytes), so callers treat both as "not the JSON expected".
nlohmann::json parse_untrusted_json(std::string_view text);

class ApiClient {
 public:
  ApiClient(util::HttpTransport& http, RetryPolicy retry, std::string platform, std::string base,
            std::vector<std::pair<std::string, std::string>> headers, std::vector<std::string> secrets);

  // One logical request: retried on 429, 5xx, rate limits and transport faults within the
  // policy's bounds. Returns the last HTTP answer whatever its status; a transport failure
  // that outlasts the retries is a Step error.
  util::Expected<util::HttpResponse> send(std::string method, const std::string& url, std::string body = {});

  // "GitHub: PATCH /repos/o/r/issues/comments/1: 422 Validation Failed" (redacted).
  util::Error error(const std::string& method, const std::string& url, const util::HttpResponse& r,
                    std::string_view hint = {}) const;
  std::string redact(std::string text) const { return util::redact(std::move(text), secrets_); }

  const std::string& base() const { return base_; }
  const std::string& platform() const { return platform_; }
  // Pagination must not carry the token to another host.
  bool same_origin(const std::string& url) const;

 private:
  util::HttpTransport& http_;
  RetryPolicy retry_;
  std::string platform_, base_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::vector<std::string> secrets_;
};

// How long the server asks us to wait: Retry-After (seconds or HTTP date), or GitHub's
// x-ratelimit-reset when x-ratelimit-remaining is 0. nullopt when it does not say.
std::optional<std::chrono::milliseconds> server_wait(const util::HttpResponse& r,
                                                     std::chrono::system_clock::time_point now);

// The rel="next" target of a Link header, or "".
std::string next_link(const std::string& link_header);

// Percent-encodes everything but unreserved characters (GitLab project paths: group%2Fproject).
std::string url_encode(std::string_view s);

// "scheme://host[:port]" of a URL, lowercased; "" when it has no scheme.
std::string origin_of(std::string_view url);

// The path and query of a URL (what logs and error messages show).
std::string path_of(std::string_view url);

}  // namespace dg::ci
