#pragma once
// What every hadolint format shares (json, checkstyle, junit, gitlab_codeclimate): its levels,
// its rule pages, and one finding of the lint step as the JSON parser builds it, so a report in
// any of them gates, dedups and fingerprints the same.
#include <string>
#include <string_view>

#include "src/model/step_result.hpp"

namespace dg::ingest::hadolint {

// hadolint's levels: error -> high, warning -> medium, info -> low, style -> info.
model::Severity severity(std::string_view level);

// DLxxxx (hadolint's own rules) or SCxxxx (ShellCheck, run on RUN instructions).
bool is_code(std::string_view code);

// The lint step, empty, as hadolint's.
model::StepResult make_step();

// Appends one finding to `step`.
void add(model::StepResult& step, std::string code, std::string level, std::string message, std::string file,
         int line, int column);

}  // namespace dg::ingest::hadolint
