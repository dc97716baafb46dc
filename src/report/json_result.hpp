#pragma once
// The JSON form of the model: schemas/dockgate-result.schema.json. A public, versioned interface.
#include <nlohmann/json.hpp>
#include <string>

#include "src/model/run.hpp"

namespace dg::report {

// One finding as the schema's `finding` object, appended to `out`.
void append_finding_json(std::string& out, const model::Finding& f);
nlohmann::json context_to_json(const model::Context& c);

// Counts over every step's findings (what the summary and the comment show).
struct Totals {
  std::size_t total = 0, waived = 0, new_ = 0;
  std::size_t gating = 0;  // findings that count against the verdict (Finding::gating)
  std::size_t by_severity[6] = {};  // indexed by Severity; waived findings not counted
};
Totals count(const model::Run& run);

class TextSink;  // writers.hpp

// Streams the result: findings are serialized one at a time and handed to `out` in pieces of
// about 1 MiB, so writing costs no more memory than the model already takes. The string form
// collects the pieces (stdout, tests).
void write_json(const model::Run& run, TextSink& out);
std::string write_json(const model::Run& run);

}  // namespace dg::report
