// STUB: replaced by the parser's owner.
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {

ParseResult parse_sarif(const Input& in) { return std::unexpected(in.error("sarif parser not implemented yet")); }

}  // namespace dg::ingest
