#include "src/policy/policy.hpp"

#include <set>

#include "src/util/plural.hpp"

namespace dg::policy {
using model::Severity;

static Severity effective(const model::Finding& f, const Policy& p) {
  return f.severity == Severity::Unknown ? p.unknown_as : f.severity;
}

std::string_view excluded_because(const model::Finding& f, const Policy& p, const StepPolicy* sp) {
  if (f.waiver) return "waived";
  bool ignore_unfixed = sp && sp->ignore_unfixed ? *sp->ignore_unfixed : p.ignore_unfixed;
  if (ignore_unfixed && f.kind == model::Kind::Vulnerability && f.package.fixed_version.empty()) return "unfixed";
  if (p.new_only && f.baseline == model::BaselineState::Unchanged) return "not-new";
  // A known-exploited vulnerability is past estimating: EPSS is the likelihood of what KEV
  // already records as happening. No EPSS score counts as before (unknown is not unlikely).
  double epss_threshold = sp && sp->epss_threshold ? *sp->epss_threshold : p.epss_threshold;
  if (epss_threshold > 0 && f.kind == model::Kind::Vulnerability && !f.risk.kev && f.risk.epss >= 0 &&
      f.risk.epss < epss_threshold)
    return "below-epss-threshold";
  return {};
}

bool fails_as_kev(const model::Finding& f, const Policy& p, const StepPolicy* sp) {
  bool on = sp && sp->fail_on_kev ? *sp->fail_on_kev : p.fail_on_kev;
  return on && f.kind == model::Kind::Vulnerability && f.risk.kev && counts(f, p, sp);
}

bool counts(const model::Finding& f, const Policy& p, const StepPolicy* sp) {
  return excluded_because(f, p, sp).empty();
}

namespace {

std::string sev_word(Severity s) { return std::string(model::to_string(s)); }

// The reasons of one step, most severe first; returns the effective severities that fail it.
std::set<Severity> judge_step(const model::StepResult& step, const Policy& p, const StepPolicy* sp,
                              std::vector<std::string>& reasons) {
  std::optional<Severity> fail_on = sp && sp->has_fail_on ? sp->fail_on : p.fail_on;
  std::map<Severity, long> max = p.max;
  if (sp)
    for (auto& [s, n] : sp->max) max[s] = n;
  // Counted by the severity they gate as; `unknown` says how many of those had no severity, so
  // the reason can name them instead of passing them off as, say, high.
  std::map<Severity, long, std::greater<>> counted, unknown;
  for (auto& f : step.findings)
    if (counts(f, p, sp)) {
      ++counted[effective(f, p)];
      if (f.severity == Severity::Unknown) ++unknown[effective(f, p)];
    }
  std::set<Severity> failing;
  std::vector<std::string> unknown_reasons;  // after the known severities: theirs is not known
  const std::string unknown_note = " — counted as failing; set `unknown-as:`";
  for (auto& [sev, n] : counted) {
    long unk = unknown.contains(sev) ? unknown[sev] : 0;
    long known = n - unk;
    if (auto m = max.find(sev); m != max.end()) {
      if (n <= m->second) continue;
      failing.insert(sev);
      std::string why = step.name + ": " + util::count_of(n, sev_word(sev) + " finding", sev_word(sev) + " findings");
      if (unk > 0) why += " (" + util::thousands(unk) + " of them unknown severity" + unknown_note + ")";
      reasons.push_back(why + ", at most " + util::thousands(m->second) + " allowed");
    } else if (fail_on && sev >= *fail_on && n > 0) {
      failing.insert(sev);
      if (known > 0)
        reasons.push_back(step.name + ": " + util::count_of(known, sev_word(sev) + " finding", sev_word(sev) + " findings") +
                          " at or above fail-on " + sev_word(*fail_on));
      if (unk > 0) unknown_reasons.push_back(step.name + ": " + util::thousands(unk) + " unknown severity" + unknown_note);
    }
  }
  reasons.insert(reasons.end(), unknown_reasons.begin(), unknown_reasons.end());
  return failing;
}

// fail-on-kev: one reason per known-exploited vulnerability (by id, in the order the step lists
// them), ahead of the step's severity reasons. Returns whether any fails the step.
bool judge_kev(const model::StepResult& step, const Policy& p, const StepPolicy* sp,
               std::vector<std::string>& reasons) {
  std::set<std::string> named;
  std::vector<std::string> kev_reasons;
  for (auto& f : step.findings) {
    if (!fails_as_kev(f, p, sp) || !named.insert(f.rule_id).second) continue;
    kev_reasons.push_back(step.name + ": " + f.rule_id + " is known exploited (KEV" +
                          (f.risk.kev_added.empty() ? "" : ", added " + f.risk.kev_added) + ")");
  }
  reasons.insert(reasons.end(), kev_reasons.begin(), kev_reasons.end());
  return !named.empty();
}

}  // namespace

void evaluate(model::Run& run, const Policy& p) {
  run.reasons.clear();
  bool failed = false, errored = false;
  for (auto& step : run.steps) {
    const StepPolicy* sp = nullptr;
    if (auto it = p.steps.find(step.name); it != p.steps.end()) sp = &it->second;
    std::set<Severity> failing;
    if (step.status == model::StepStatus::Error) {
      errored = true;
      std::string why = step.errors.empty() ? "the step could not run" : step.errors.front();
      run.reasons.push_back(step.name + ": error: " + why);
      // Whatever the step did report is still judged, so its findings say whether they count.
      std::vector<std::string> unused;
      failing = judge_step(step, p, sp, unused);
    } else if (step.status != model::StepStatus::Skipped) {
      bool kev = judge_kev(step, p, sp, run.reasons);
      failing = judge_step(step, p, sp, run.reasons);
      // Steps with a verdict of their own (smoke test down, image over budget) say so as
      // critical findings, so re-gating a saved result recomputes every status the same way.
      step.status = failing.empty() && !kev ? model::StepStatus::Passed : model::StepStatus::Failed;
      failed = failed || !failing.empty() || kev;
    }
    // What the verdict counted, per finding, so no writer has to guess it again.
    for (auto& f : step.findings) {
      std::string_view why = excluded_because(f, p, sp);
      if (why.empty() && !failing.contains(effective(f, p)) && !fails_as_kev(f, p, sp)) why = "below-threshold";
      f.gating = why.empty();
      f.why_not = why;
    }
  }
  run.verdict = errored ? model::Verdict::Error : failed ? model::Verdict::Fail : model::Verdict::Pass;
  if (run.reasons.empty()) run.reasons.push_back("every step passed the policy");
}

}  // namespace dg::policy
