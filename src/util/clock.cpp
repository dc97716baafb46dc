#include "src/util/clock.hpp"

#include <charconv>
#include <ctime>

namespace dg::util {

std::chrono::system_clock::time_point now(const std::map<std::string, std::string>& env) {
  if (auto it = env.find("SOURCE_DATE_EPOCH"); it != env.end()) {
    long long secs = 0;
    const std::string& v = it->second;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
    if (ec == std::errc() && end == v.data() + v.size())
      return std::chrono::system_clock::time_point(std::chrono::seconds(secs));
  }
  return std::chrono::system_clock::now();
}

static std::string format(std::chrono::system_clock::time_point t, const char* fmt) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}

std::string rfc3339(std::chrono::system_clock::time_point t) { return format(t, "%Y-%m-%dT%H:%M:%SZ"); }
std::string iso_date(std::chrono::system_clock::time_point t) { return format(t, "%Y-%m-%d"); }

}  // namespace dg::util
