#pragma once
#include <cstdint>
#include <string>

namespace dg::steps::image {

// Decimal units as `docker images` prints them: 999 B, 1.5 kB, 12.3 MB, 1.20 GB.
std::string human_bytes(std::uint64_t bytes);

}  // namespace dg::steps::image
