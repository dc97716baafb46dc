#pragma once
#include <chrono>
#include <map>
#include <string>

namespace dg::util {

// Wall-clock time, overridable with SOURCE_DATE_EPOCH (the reproducible-builds convention) so
// golden files and waiver expiry tests do not depend on today.
std::chrono::system_clock::time_point now(const std::map<std::string, std::string>& env);
std::string rfc3339(std::chrono::system_clock::time_point t);  // 2026-11-23T15:04:05Z
std::string iso_date(std::chrono::system_clock::time_point t);  // 2026-11-23

}  // namespace dg::util
