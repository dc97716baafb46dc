#pragma once
// A small HTTP interface over libcurl. Callers take an HttpTransport&, so tests can inject a fake
// transport, and end-to-end tests point the real one at a server on 127.0.0.1.
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace dg::util {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // name, value
  std::string body;
  double timeout_s = 30;
  double connect_timeout_s = 10;
  // Keep at most this many bytes of the body and stop reading there (0: all of it). A smoke-tested
  // service may stream without end; what it says in the first megabyte is what we check.
  std::size_t max_body = 0;
};

struct HttpResponse {
  long status = 0;                             // 0 when there was no HTTP answer
  std::map<std::string, std::string> headers;  // names lowercased
  std::string body;
  std::string error;                           // transport error (refused, timeout, DNS, TLS)
  bool connection_refused = false;
  bool timed_out = false;
  bool body_truncated = false;                 // max_body was reached: body holds its first bytes
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual HttpResponse send(const HttpRequest& req) = 0;
};

// libcurl, no proxy surprises: it honors the standard proxy variables as curl does.
std::unique_ptr<HttpTransport> make_curl_transport();

// Replaces every occurrence of each secret by "***" (tokens must never reach logs or outputs).
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace dg::util
