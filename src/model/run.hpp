#pragma once
#include <string>
#include <vector>

#include "src/model/step_result.hpp"

namespace dg::model {

// Where the run happened: filled by adapters/ci from the environment, empty for local runs.
struct Context {
  std::string platform;  // github, gitlab, jenkins, local
  std::string server_url;
  std::string repository;  // owner/name or group/project
  std::string commit;
  std::string branch;
  std::string pull_request;  // PR number / MR iid, empty outside one
  std::string job_url;
  std::string job_name;
};

enum class Verdict { Pass, Fail, Error };
std::string_view to_string(Verdict v);
Verdict parse_verdict(std::string_view s);

// A waiver that did not apply: expired, or matched nothing (stale).
struct WaiverNotice {
  std::string id;
  std::string state;  // expired | stale
  std::string reason;
  std::string owner;  // who accepted the risk: the person to ask when it expired or went stale
  std::string expires;
  std::string source;
};

struct Run {
  std::string schema_version = "1";
  std::string dockgate_version;
  std::string started_at;  // RFC 3339 UTC
  std::string finished_at;
  Context context;
  std::vector<StepResult> steps;
  Verdict verdict = Verdict::Pass;
  std::vector<std::string> reasons;  // why the verdict is what it is, one line each
  std::vector<Finding> fixed;        // baseline findings that are gone (a win to report)
  // Steps whose baseline findings could not be compared (the step errored or did not run): their
  // findings are unknown, never fixed.
  std::vector<std::string> baseline_incomplete;
  std::size_t baseline_unknown = 0;  // baseline findings of those steps
  std::vector<WaiverNotice> waiver_notices;
  std::size_t merged_duplicates = 0;  // findings folded into another by cross-scanner dedup
};

}  // namespace dg::model
