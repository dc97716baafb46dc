#pragma once
#include <string>
#include <vector>

#include "adapters/ingest/sarif_log.hpp"
#include "adapters/ingest/sarif_tools.hpp"
#include "src/model/finding.hpp"

namespace dg::ingest::sarif {

// Turns the results of a complete run into findings (appended to `out`), in result order:
// rules are found by index or by id (hash map), messages are formatted from messageStrings,
// URIs are resolved against artifacts and originalUriBaseIds. Results whose kind is "pass" or
// "notApplicable" are not problems and are left out. The run's results are consumed (moved from).
void resolve_run(const Input& in, Run& run, const ToolProfile& profile, std::vector<model::Finding>& out);

// SARIF §3.11.5: "{n}" is replaced by argument n, "{{" and "}}" are literal braces.
std::string format_message(std::string_view tmpl, const std::vector<std::string>& args);

// The path a report should show for a URI: file:// schemes dropped, %-escapes decoded,
// relative base ids (originalUriBaseIds) prepended; absolute bases are not, so paths stay
// relative to the checkout as GitHub code scanning reads them.
std::string display_path(const Run& run, std::string uri, std::string base);

}  // namespace dg::ingest::sarif
