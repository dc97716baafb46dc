#pragma once
// What differs when the suite runs under the sanitizers (CMake preset asan, fuzz/README.md).
#include <string>

namespace dg::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// The `ulimit -v KIB; ` prefix of a /bin/sh -c command that bounds a child's memory. ASan reserves
// terabytes of address space for its shadow at start-up, so under ASan there is no such bound:
// the release suite checks the memory limits, the sanitizer suite the memory errors.
inline std::string address_space_limit(long kib) {
  return kAddressSanitizer ? std::string() : "ulimit -v " + std::to_string(kib) + "; ";
}

}  // namespace dg::test
