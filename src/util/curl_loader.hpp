#pragma once
// libcurl is loaded on first use (curl_loader.cpp); this says whether it could be.
#include <string>

namespace dg::util {

// "" when libcurl is loaded (or loadable), else why not, for a user to act on.
std::string curl_unavailable();

}  // namespace dg::util
