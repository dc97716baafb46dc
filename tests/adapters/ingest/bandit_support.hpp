#pragma once
// Shared by the bandit format tests: independent counts from python3 and the views of a step
// that every format must agree on.
#include <algorithm>
#include <string>
#include <vector>

#include "adapters/ingest/report.hpp"
#include "tests/support.hpp"

namespace dg::test::bandit {

// Runs a python3 snippet with the file as sys.argv[1] and returns its stdout without the last
// line break.
inline std::string python(const std::string& code, const fs::path& file) {
  auto r = run_process({"/usr/bin/python3", "-c", code, file.string()});
  REQUIRE_MESSAGE(r.code == 0, r.err);
  return r.out.substr(0, r.out.find_last_not_of("\r\n") + 1);
}

// "results errors" of a bandit JSON report, as python's json module reads it.
inline std::string json_counts(const fs::path& file) {
  return python("import json,sys\nd=json.load(open(sys.argv[1]))\nprint(len(d['results']), len(d['errors']))", file);
}

// The test ids of a bandit JSON report, in order, one per line.
inline std::string json_rule_ids(const fs::path& file) {
  return python("import json,sys\nd=json.load(open(sys.argv[1]))\nprint('\\n'.join(r['test_id'] for r in d['results']))",
                file);
}

inline std::string rule_ids(const model::StepResult& s) {
  std::string out;
  for (auto& f : s.findings) {
    if (!out.empty()) out += '\n';
    out += f.rule_id;
  }
  return out;
}

// Sorted, so formats that order issues differently still compare.
inline std::vector<std::string> sorted_rule_ids(const model::StepResult& s) {
  std::vector<std::string> ids;
  ids.reserve(s.findings.size());
  for (auto& f : s.findings) ids.push_back(f.rule_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// The invariants of every bandit finding, whatever the format.
inline void check_common(const model::StepResult& s) {
  CHECK(s.name == "bandit");
  CHECK(s.tool == "bandit");
  for (auto& f : s.findings) {
    CAPTURE(f.rule_id);
    CHECK(f.tool == "bandit");
    CHECK(!f.rule_id.empty());
    CHECK(!f.location.path.empty());
    CHECK(!f.fingerprint.empty());
    bool secret = f.rule_id == "B105" || f.rule_id == "B106" || f.rule_id == "B107";
    CHECK((f.kind == (secret ? model::Kind::Secret : model::Kind::Code)));
    if (secret) {
      CHECK(f.location.snippet.empty());
      CHECK(f.title.find('\'') == std::string::npos);  // the quoted password is gone
    }
  }
  CHECK((s.errors.empty() ? s.status != model::StepStatus::Error : s.status == model::StepStatus::Error));
}

}  // namespace dg::test::bandit
