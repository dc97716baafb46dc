// STUB: replaced by the parser's owner.
#include "adapters/ingest/parsers.hpp"

namespace dg::ingest {

ParseResult parse_bandit_json(const Input& in) { return std::unexpected(in.error("bandit_json parser not implemented yet")); }

}  // namespace dg::ingest
