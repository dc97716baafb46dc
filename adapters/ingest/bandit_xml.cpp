// STUB: replaced by the parser's owner.
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {

ParseResult parse_bandit_xml(const Input& in) { return std::unexpected(in.error("bandit_xml parser not implemented yet")); }

}  // namespace dg::ingest
