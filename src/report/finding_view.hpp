#pragma once
// How every writer orders findings and names where they are: one answer, so the comment, the
// annotations and the console agree on what is "worst" and how a location reads.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/model/run.hpp"

namespace dg::report {

// Worst first: unwaived before waived, then known exploited (KEV), then EPSS × severity
// (model::risk_weight: the severity order when there is no EPSS data), new before unchanged,
// then rule, path, line and fingerprint so equal findings keep a stable order across runs.
bool worse(const model::Finding& a, const model::Finding& b);
std::vector<const model::Finding*> worst_first(const std::vector<model::Finding>& findings);
// The first `n` of worst_first, without sorting the rest (the console shows 5 of 100,000).
std::vector<const model::Finding*> worst_n(const std::vector<model::Finding>& findings, std::size_t n);

// Exploit data as tables show it: "KEV" when known exploited, "EPSS 8.0% (p53)" (score and
// percentile), joined by " · "; "" when the finding has none.
std::string risk_badge(const model::Finding& f);
// The same in words for the text outputs (JUnit, Code Quality, annotations): "known exploited (KEV,
// added 2022-04-04) · EPSS 94.5% (p99)"; "" when the finding has none.
std::string risk_text(const model::Finding& f);
std::string epss_text(const model::Risk& r);

// "path:line" for source findings, "package@version" (plus the target) for image findings.
std::string where(const model::Finding& f);
// "name version → fixed" / "name version (no fix)" or "" when the finding has no package.
std::string package_fix(const model::Finding& f);

// The Dockerfile that image findings (no file of their own) are pinned to: the first lint
// finding's path that names a Dockerfile, else "Dockerfile".
std::string dockerfile_path(const model::Run& run);

// Code-scanning severity score as GitHub reads it (critical 9.5 … low 2.0), or nullopt for
// findings that are not security results.
std::optional<std::string> security_severity(const model::Finding& f);
bool is_security(const model::Kind k);

// Image-size metrics under the names the image-size step writes (with the older aliases).
struct SizeFacts {
  std::optional<double> bytes, budget, baseline;
};
SizeFacts size_facts(const model::StepResult& s);
std::string human_bytes(double bytes);
// The image-size verdict in one line: "412.0 MB > budget 300.0 MB (+37.0 % vs baseline 301.0 MB)",
// or "" when the step measured nothing.
std::string size_line(const model::StepResult& s);
// The `n` largest layers from the image-size step's layer breakdown ("#3 250.0 MB sha256:… RUN …").
std::vector<std::string> largest_layers(const model::StepResult& s, std::size_t n);
// What a smoke or image finding says with its numbers (its message), else its title.
std::string finding_text(const model::Finding& f);

// "12.3 s": a step's duration as the comment and the HTML page show it.
std::string duration_text(std::int64_t ms);
// The last `max` bytes of a log, cut at a line start (so the excerpt reads cleanly) and made valid
// UTF-8, with "[…]" in front when something was cut.
std::string log_tail(std::string_view log, std::size_t max);

// Per-step counts of unwaived findings by severity (index = Severity), waived and new.
struct StepCounts {
  std::size_t by[6] = {};
  std::size_t waived = 0, new_ = 0, unchanged = 0;
};
StepCounts step_counts(const model::StepResult& s);

}  // namespace dg::report
