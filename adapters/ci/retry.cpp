// Retries: a CI job that dies because the API hiccuped once teaches people to ignore red builds.
#include <ctime>
#include <thread>

#include "adapters/ci/api.hpp"
#include "src/util/curl_loader.hpp"
#include "src/util/log.hpp"
#include "src/util/text.hpp"

namespace dg::ci {

using std::chrono::milliseconds;

ApiClient::ApiClient(util::HttpTransport& http, RetryPolicy retry, std::string platform, std::string base,
                     std::vector<std::pair<std::string, std::string>> headers, std::vector<std::string> secrets)
    : http_(http),
      retry_(std::move(retry)),
      platform_(std::move(platform)),
      base_(std::move(base)),
      headers_(std::move(headers)),
      secrets_(std::move(secrets)) {
  if (!retry_.sleep) retry_.sleep = [](milliseconds d) { std::this_thread::sleep_for(d); };
  if (!retry_.now) retry_.now = [] { return std::chrono::system_clock::now(); };
  if (retry_.max_attempts < 1) retry_.max_attempts = 1;
}

static std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& s) {
  // RFC 9110 IMF-fixdate, the only form servers are allowed to send today.
  std::tm tm{};
  const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

static std::optional<long long> parse_int(const std::string& s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<milliseconds> server_wait(const util::HttpResponse& r, std::chrono::system_clock::time_point now) {
  auto header = [&](const char* name) -> std::string {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string{} : util::trim(it->second);
  };
  auto clamp = [](auto d) { return std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(d)); };
  if (auto ra = header("retry-after"); !ra.empty()) {
    if (auto secs = parse_int(ra)) return milliseconds(*secs * 1000);
    if (auto when = parse_http_date(ra)) return clamp(*when - now);
  }
  if (header("x-ratelimit-remaining") == "0") {
    if (auto reset = parse_int(header("x-ratelimit-reset"))) {
      auto when = std::chrono::system_clock::time_point(std::chrono::seconds(*reset));
      return clamp(when - now) + milliseconds(1000);  // the reset second itself may still be limited
    }
  }
  return std::nullopt;
}

static bool rate_limited(const util::HttpResponse& r) {
  if (r.status == 429) return true;
  // GitHub signals primary and secondary rate limits with 403 plus these headers; a plain 403
  // (read-only token) must not be retried.
  if (r.status == 403) {
    auto rem = r.headers.find("x-ratelimit-remaining");
    return (rem != r.headers.end() && util::trim(rem->second) == "0") || r.headers.count("retry-after");
  }
  return false;
}

static bool transient(const util::HttpResponse& r) {
  if (r.status == 0) return true;  // timeout, refused, reset: the service may be restarting
  return rate_limited(r) || r.status == 500 || r.status == 502 || r.status == 503 || r.status == 504;
}

util::Expected<util::HttpResponse> ApiClient::send(std::string method, const std::string& url, std::string body) {
  util::HttpRequest req;
  req.method = std::move(method);
  req.url = url;
  req.headers = headers_;
  if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
  req.body = std::move(body);
  req.max_body = kMaxApiBody;

  milliseconds waited{0};
  util::HttpResponse resp;
  for (int attempt = 1;; ++attempt) {
    spdlog::debug("{} {} {}", platform_, req.method, redact(path_of(url)));
    resp = http_.send(req);
    if (resp.body_truncated)
      return util::fail(util::ErrorKind::Step, platform_ + ": " + req.method + " " + redact(path_of(url)) +
                                                   ": the answer is larger than " +
                                                   std::to_string(kMaxApiBody >> 20) + " MiB; not read further");
    if (resp.status == 0 && !util::curl_unavailable().empty()) break;  // no retry installs libcurl
    if (!transient(resp)) return resp;

    std::string why = resp.status ? "HTTP " + std::to_string(resp.status) : redact(resp.error);
    if (attempt >= retry_.max_attempts) {
      spdlog::debug("{}: giving up after {} attempts ({})", platform_, attempt, why);
      break;
    }
    milliseconds delay = retry_.first_delay * (1LL << std::min(attempt - 1, 20));
    delay = std::min(delay, retry_.max_delay);
    if (auto asked = server_wait(resp, retry_.now())) {
      if (*asked > retry_.max_delay) {
        spdlog::warn("{}: the API asks to wait {}s before retrying; not waiting that long", platform_,
                     asked->count() / 1000);
        break;
      }
      delay = *asked;
    }
    if (waited + delay > retry_.max_total) break;
    spdlog::warn("{}: {} on {} {}; retrying in {} ms (attempt {}/{})", platform_, why, req.method,
                 redact(path_of(url)), delay.count(), attempt + 1, retry_.max_attempts);
    retry_.sleep(delay);
    waited += delay;
  }
  if (resp.status == 0)
    return util::fail(util::ErrorKind::Step, platform_ + " API unreachable: " + req.method + " " +
                                                 redact(origin_of(url) + path_of(url)) + ": " + redact(resp.error));
  return resp;  // the caller turns the final 429/5xx into an error that names the request
}

}  // namespace dg::ci
