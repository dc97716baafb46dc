#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "src/policy/vex.hpp"
#include "src/util/error.hpp"

namespace dg::app {

// Reads the statements of one VEX document: OpenVEX (v0.2.0, and the bare strings of v0.0.x) or
// CycloneDX VEX (1.4 to 1.6, JSON), recognized by content. Anything else, and every malformed
// field, is an Input error (exit 3) with file:line:col; a waiver file says to use --waivers.
util::Expected<std::vector<policy::VexStatement>> load_vex(const std::filesystem::path& file);

// What a parsed document is: "OpenVEX", "CycloneDX" (a BOM, VEX or not), or "" when neither.
// The waiver loader uses it to send a VEX document to --vex.
std::string_view vex_kind(const YAML::Node& root);

// Seconds since the epoch of an RFC 3339 time (2023-01-16T17:00:00Z, +02:00, fractions), or
// nullopt when `s` is not one.
std::optional<std::int64_t> parse_rfc3339(std::string_view s);

}  // namespace dg::app
