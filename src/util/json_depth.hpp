#pragma once
// How deep a JSON text nests, counted in one pass before a DOM parser sees it: nlohmann::json
// allocates a value per bracket, so 32 MiB of '[' would take gigabytes. Reports read through
// simdjson stop at the same 1,024 levels (its default limit, ingest::kMaxJsonDepth).
#include <cstddef>
#include <string_view>

namespace dg::util {

inline constexpr std::size_t kMaxJsonDepth = 1024;

// The offset of the bracket that opens level max_depth + 1, or npos. Brackets inside strings
// are text; the text need not be valid JSON.
std::size_t json_too_deep_at(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

}  // namespace dg::util
