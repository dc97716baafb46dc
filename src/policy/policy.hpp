#pragma once
// The gate: pure functions over the model, no I/O.
#include <map>
#include <optional>
#include <string>

#include "src/model/run.hpp"

namespace dg::policy {

struct StepPolicy {
  bool has_fail_on = false;
  std::optional<model::Severity> fail_on;  // used when has_fail_on; nullopt = none
  std::map<model::Severity, long> max;
  std::optional<bool> ignore_unfixed;
  std::optional<bool> fail_on_kev;
  std::optional<double> epss_threshold;
};

struct Policy {
  // Lowest severity that fails; nullopt ("none") = no severity fails on its own (only max: counts).
  std::optional<model::Severity> fail_on = model::Severity::High;
  std::map<model::Severity, long> max;              // at most N findings of a severity (overrides fail_on for it)
  bool ignore_unfixed = false;                      // vulnerabilities with no fix do not count
  bool new_only = false;                            // with a baseline: only new findings count
  model::Severity unknown_as = model::Severity::High;  // how an unknown severity gates
  std::map<std::string, StepPolicy> steps;          // per-step overrides
  bool dedup = true;                                // fold trivy + grype duplicates into one finding
  bool fail_on_kev = false;                         // a KEV-listed vulnerability fails whatever its severity
  // Vulnerabilities with an EPSS score below this do not count (why_not below-epss-threshold);
  // one with no EPSS data counts as before. 0 = off.
  double epss_threshold = 0;
};

// Whether a finding counts against the gate at all (not waived, not unfixed-ignored, new when
// new_only). Counted findings are then compared with fail_on and max.
bool counts(const model::Finding& f, const Policy& p, const StepPolicy* sp);
// Why a finding does not count at all: "waived", "unfixed", "not-new" or "below-epss-threshold"
// (a vulnerability with an EPSS score under epss-threshold that is not known exploited); empty
// when it counts.
std::string_view excluded_because(const model::Finding& f, const Policy& p, const StepPolicy* sp);
// Whether a counted vulnerability fails its step whatever its severity: it is in CISA's KEV
// catalog and fail-on-kev is on (for its step).
bool fails_as_kev(const model::Finding& f, const Policy& p, const StepPolicy* sp);

// Sets every step's status (a step already in error or skipped stays so), the run's verdict, the
// reasons (one line each, most severe first, unknown severities named as such), and every
// finding's `gating` / `why_not`: a finding gates when it counts and its severity is one that
// fails its step (or fails_as_kev); otherwise why_not is waived, unfixed, not-new,
// below-epss-threshold or below-threshold (below fail-on, or within a `max:` allowance). Under
// fail-on-kev each known-exploited vulnerability is a reason of its own ("trivy: CVE-… is known
// exploited (KEV, added 2024-05-01)"), ahead of its step's severity reasons. A step in error makes
// the verdict Error: a partial result is never green.
void evaluate(model::Run& run, const Policy& p);

}  // namespace dg::policy
