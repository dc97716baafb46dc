#pragma once
// primaryLocationLineHash as github/codeql-action computes it (src/fingerprints.ts, hash()):
// GitHub code scanning matches an alert across commits by this hash of the text from the start of
// its line, so an alert follows its code when lines move above it. codeql-action adds it only when
// the SARIF lacks it and the file sits under the checkout; dockgate writes it itself so uploads by
// other means (the REST API, GitLab, Jenkins) carry it too.
#include <string>
#include <string_view>
#include <vector>

namespace dg::report {

// The hash of every line of `text` (UTF-8), index 0 = line 1, each "hex:occurrence".
// A text that ends with a newline has one more (empty) line, as in codeql-action.
std::vector<std::string> line_hashes(std::string_view text);

}  // namespace dg::report
