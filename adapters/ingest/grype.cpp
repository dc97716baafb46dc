// STUB: replaced by the parser's owner.
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {

ParseResult parse_grype_json(const Input& in) { return std::unexpected(in.error("grype parser not implemented yet")); }

}  // namespace dg::ingest
