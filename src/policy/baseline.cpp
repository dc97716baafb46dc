#include "src/policy/baseline.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "src/model/fingerprint.hpp"
#include "src/util/text.hpp"

namespace dg::policy {
namespace {

bool is_vuln(const model::Finding& f) {
  return f.kind == model::Kind::Vulnerability && !f.package.name.empty();
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

// One key per id a vulnerability is known by: scanners disagree on which id is primary (trivy
// says CVE-2023-32681, grype GHSA-j8r2-6x86-q33q) and on which aliases they list, so any shared
// id for the same package matches.
std::vector<std::string> vuln_keys(const model::Finding& f) {
  std::string head = util::to_lower(f.package.name) + '\x1f' + f.package.version + '\x1f';
  std::vector<std::string> keys;
  auto add = [&](const std::string& id) {
    if (id.empty()) return;
    std::string k = head + upper(id);
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
  };
  add(f.rule_id);
  for (auto& a : f.aliases) add(a);
  return keys;
}

// grype writes package paths absolute, trivy relative.
std::string_view package_path(const model::Finding& f) {
  std::string_view p = f.package.path.empty() ? f.location.path : f.package.path;
  while (!p.empty() && p.front() == '/') p.remove_prefix(1);
  return p;
}

bool complete(const model::StepResult& s) {
  return s.status != model::StepStatus::Error && s.status != model::StepStatus::Skipped;
}

}  // namespace

BaselineOutcome diff_baseline(model::Run& run, const model::Run& baseline) {
  BaselineOutcome out;

  // The baseline, flattened, with fingerprints (an older or hand-written baseline has none).
  struct Before {
    const model::Finding* f;
    const model::StepResult* step;
  };
  std::vector<std::vector<model::Finding>> copies;
  std::vector<Before> before;
  for (auto& step : baseline.steps) {
    bool missing = std::ranges::any_of(step.findings, [](auto& f) { return f.fingerprint.empty(); });
    const std::vector<model::Finding>* fs = &step.findings;
    if (missing) {
      copies.push_back(step.findings);
      model::assign_fingerprints(copies.back());
      fs = &copies.back();
    }
    for (auto& f : *fs) before.push_back({&f, &step});
  }
  std::unordered_map<std::string, std::vector<std::size_t>> by_fingerprint, by_id;
  for (std::size_t i = 0; i < before.size(); ++i) {
    by_fingerprint[before[i].f->fingerprint].push_back(i);
    if (is_vuln(*before[i].f))
      for (auto& k : vuln_keys(*before[i].f)) by_id[k].push_back(i);
  }

  std::vector<bool> matched(before.size(), false);
  for (auto& step : run.steps) {
    model::assign_fingerprints(step.findings);
    for (auto& f : step.findings) {
      std::vector<std::size_t> found;
      if (auto it = by_fingerprint.find(f.fingerprint); it != by_fingerprint.end()) found = it->second;
      if (is_vuln(f)) {
        std::vector<std::size_t> same_id;
        for (auto& k : vuln_keys(f))
          if (auto it = by_id.find(k); it != by_id.end()) same_id.insert(same_id.end(), it->second.begin(), it->second.end());
        // One package at two paths is two findings: when some candidates share this finding's
        // path, only they match, so the other path can still be fixed.
        std::vector<std::size_t> same_path;
        for (auto i : same_id)
          if (package_path(*before[i].f) == package_path(f)) same_path.push_back(i);
        auto& use = same_path.empty() ? same_id : same_path;
        found.insert(found.end(), use.begin(), use.end());
      }
      for (auto i : found) matched[i] = true;
      if (found.empty()) {
        f.baseline = model::BaselineState::New;
        ++out.new_;
      } else {
        f.baseline = model::BaselineState::Unchanged;
        ++out.unchanged;
      }
    }
  }

  // A baseline finding is fixed only when every step that reported it ran to the end this time;
  // a step that errored or did not run says nothing about it.
  std::set<std::string> done, known_before;
  for (auto& s : run.steps)
    if (complete(s)) {
      done.insert(s.name);
      done.insert(s.tool);
    }
  for (auto& s : baseline.steps) {
    known_before.insert(s.name);
    known_before.insert(s.tool);
  }
  auto comparable = [&](const Before& b) {
    if (!done.contains(b.step->name)) return false;
    return std::ranges::all_of(b.f->sources, [&](const std::string& t) { return done.contains(t) || !known_before.contains(t); });
  };

  run.fixed.clear();
  run.baseline_incomplete.clear();
  run.baseline_unknown = 0;
  std::set<std::string> listed;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (matched[i]) continue;
    const Before& b = before[i];
    if (!comparable(b)) {
      ++out.unknown;
      ++run.baseline_unknown;
      if (std::ranges::find(run.baseline_incomplete, b.step->name) == run.baseline_incomplete.end())
        run.baseline_incomplete.push_back(b.step->name);
      continue;
    }
    if (!listed.insert(b.f->fingerprint).second) continue;
    model::Finding gone = *b.f;
    gone.baseline = model::BaselineState::Fixed;
    gone.waiver.reset();
    gone.gating = false;
    gone.why_not = "fixed";
    run.fixed.push_back(std::move(gone));
    ++out.fixed;
  }
  return out;
}

}  // namespace dg::policy
