#include "src/util/http.hpp"

#include <curl/curl.h>

#include <mutex>

#include "src/util/text.hpp"

namespace dg::util {
namespace {

std::once_flag g_curl_init;

struct BodySink {
  std::string* body;
  std::size_t max;  // 0: no limit
  bool truncated = false;
};

std::size_t on_body(char* ptr, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  std::size_t len = size * n;
  if (sink->max != 0 && sink->body->size() + len > sink->max) {
    sink->body->append(ptr, sink->max - sink->body->size());
    sink->truncated = true;
    return 0;  // ends the transfer (CURLE_WRITE_ERROR), which send() reports as a truncated body
  }
  sink->body->append(ptr, len);
  return len;
}

std::size_t on_header(char* ptr, std::size_t size, std::size_t n, void* user) {
  std::string_view line(ptr, size * n);
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  if (line.starts_with("HTTP/")) headers->clear();  // a redirect or 100-continue: keep the last
  auto colon = line.find(':');
  if (colon != std::string_view::npos)
    (*headers)[to_lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  return size * n;
}

class CurlTransport final : public HttpTransport {
 public:
  HttpResponse send(const HttpRequest& req) override {
    std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    HttpResponse resp;
    CURL* curl = curl_easy_init();
    if (!curl) {
      resp.error = "cannot initialize libcurl";
      return resp;
    }
    curl_slist* headers = nullptr;
    for (auto& [k, v] : req.headers) {
      // A CR or LF would end this header and start another the caller never wrote. The values
      // may be secrets: the message names the header, never its value.
      if ((k + v).find_first_of("\r\n") != std::string::npos || v.find('\0') != std::string::npos) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(curl);
        resp.error = "refused to send header " + k + ": its value contains a line break";
        return resp;
      }
      headers = curl_slist_append(headers, (k + ": " + v).c_str());
    }
    curl_easy_setopt(curl, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (req.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout_s * 1000));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout_s * 1000));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "dockgate/" DOCKGATE_VERSION);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    BodySink sink{&resp.body, req.max_body};
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &resp.headers);
    // Redirects are not followed: an API answering with one is misconfigured, and following it
    // could carry the token to another host.
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    CURLcode rc = curl_easy_perform(curl);
    resp.body_truncated = sink.truncated;
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && sink.truncated)) {
      curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp.status);
    } else {
      resp.error = curl_easy_strerror(rc);
      resp.connection_refused = rc == CURLE_COULDNT_CONNECT;
      resp.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return resp;
  }
};

}  // namespace

std::unique_ptr<HttpTransport> make_curl_transport() { return std::make_unique<CurlTransport>(); }

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (auto& s : secrets) {
    if (s.size() < 4) continue;  // too short to redact without mangling ordinary text
    for (std::size_t pos = 0; (pos = text.find(s, pos)) != std::string::npos;) {
      text.replace(pos, s.size(), "***");
      pos += 3;
    }
  }
  return text;
}

}  // namespace dg::util
