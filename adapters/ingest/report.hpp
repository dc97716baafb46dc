#pragma once
#include <optional>
#include <string>
#include <vector>

#include "adapters/ingest/input.hpp"
#include "src/model/run.hpp"
#include "src/util/error.hpp"

namespace dg::ingest {

// What one report file turned into. Most formats give one step; a SARIF log with several tools
// or a dockgate result gives several.
struct ParsedReport {
  std::string format;  // e.g. trivy-json-v2, grype-json, sarif, bandit-csv
  std::vector<model::StepResult> steps;
  std::vector<std::string> warnings;  // things the user should know (repaired UTF-8, …)
  std::optional<model::Run> run;      // only for a dockgate result: context, notices, …
};

using ParseResult = util::Expected<ParsedReport>;

// Every parser has this shape: bytes in, model out, errors as values, never a throw.
using ParseFn = ParseResult (*)(const Input&);

}  // namespace dg::ingest
