// STUB: replaced by the parser's owner.
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {

ParseResult parse_gitlab_security_json(const Input& in) { return std::unexpected(in.error("gitlab_security parser not implemented yet")); }

}  // namespace dg::ingest
