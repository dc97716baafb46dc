#pragma once
// Small builders for policy tests: findings and runs made in code, no I/O.
#include <string>
#include <vector>

#include "src/model/run.hpp"

namespace dg::pt {

inline model::Finding vuln(std::string tool, std::string id, std::string pkg, std::string version,
                           model::Severity sev = model::Severity::High, std::string fixed = "1.0.1",
                           std::vector<std::string> aliases = {}) {
  model::Finding f;
  f.tool = std::move(tool);
  f.rule_id = std::move(id);
  f.aliases = std::move(aliases);
  f.severity = sev;
  f.kind = model::Kind::Vulnerability;
  f.title = f.rule_id;
  f.package.name = std::move(pkg);
  f.package.version = std::move(version);
  f.package.fixed_version = std::move(fixed);
  return f;
}

inline model::Finding lint(std::string rule, std::string path, int line, model::Severity sev = model::Severity::Medium,
                           std::string tool = "hadolint") {
  model::Finding f;
  f.tool = std::move(tool);
  f.rule_id = std::move(rule);
  f.severity = sev;
  f.kind = model::Kind::Lint;
  f.title = f.rule_id + " at " + path;
  f.message = "message of " + f.rule_id;
  f.location.path = std::move(path);
  f.location.line = line;
  return f;
}

// A KEV listing as the feeds and grype give it.
inline model::Risk kev(std::string added) {
  model::Risk r;
  r.kev = true;
  r.kev_added = std::move(added);
  return r;
}

inline model::StepResult step(std::string name, std::vector<model::Finding> findings) {
  model::StepResult s;
  s.name = std::move(name);
  s.tool = s.name;
  s.findings = std::move(findings);
  return s;
}

inline model::Run run_of(std::vector<model::StepResult> steps) {
  model::Run r;
  r.steps = std::move(steps);
  return r;
}

}  // namespace dg::pt
