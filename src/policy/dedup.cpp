#include "src/policy/dedup.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <unordered_map>

#include "src/model/fingerprint.hpp"
#include "src/model/risk.hpp"
#include "src/util/text.hpp"

namespace dg::policy {
namespace {

struct Ref {
  std::size_t step, index;
};

std::vector<std::string> tools_of(const model::Finding& f) {
  if (!f.sources.empty()) return f.sources;
  return {f.tool};
}

bool disjoint(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) return false;
  return true;
}

// Every id the finding is known by, uppercased: the canonical id first.
std::vector<std::string> ids_of(const model::Finding& f) {
  std::vector<std::string> ids;
  auto add = [&](const std::string& id) {
    if (id.empty()) return;
    std::string up = id;
    std::transform(up.begin(), up.end(), up.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (std::find(ids.begin(), ids.end(), up) == ids.end()) ids.push_back(std::move(up));
  };
  add(model::canonical_vuln_id(f));
  add(f.rule_id);
  for (auto& a : f.aliases) add(a);
  return ids;
}

std::string key(const model::Finding& f, const std::string& id) {
  std::string k = util::to_lower(f.package.name);  // PyPI names are case-insensitive (PEP 503)
  k += '\x1f';
  k += f.package.version;
  k += '\x1f';
  k += id;
  return k;
}

// Lang packages carry the file they were found in; when both scanners give one, a pair with the
// same file is the better match (grype writes it absolute, trivy relative).
bool same_package_path(const model::Finding& a, const model::Finding& b) {
  std::string_view x = a.package.path.empty() ? a.location.path : a.package.path;
  std::string_view y = b.package.path.empty() ? b.location.path : b.package.path;
  while (!x.empty() && x.front() == '/') x.remove_prefix(1);
  while (!y.empty() && y.front() == '/') y.remove_prefix(1);
  return x == y;
}

void add_unique(std::vector<std::string>& into, const std::string& s) {
  if (!s.empty() && std::find(into.begin(), into.end(), s) == into.end()) into.push_back(s);
}

std::string severity_word(const model::Finding& f, const std::string& tool) {
  return tool + ":" + std::string(model::to_string(f.severity));
}

// Folds `b` into `a`.
void absorb(model::Finding& a, model::Finding& b) {
  if (a.sources.empty()) a.sources.push_back(a.tool);
  if (a.source_severities.empty())
    for (auto& t : a.sources) a.source_severities.push_back(severity_word(a, t));
  auto b_tools = tools_of(b);
  for (auto& t : b_tools) add_unique(a.sources, t);
  if (b.source_severities.empty())
    for (auto& t : b_tools) add_unique(a.source_severities, severity_word(b, t));
  else
    for (auto& s : b.source_severities) add_unique(a.source_severities, s);
  if (b.severity > a.severity) {
    a.severity = b.severity;
    a.tool_severity = b.tool_severity;
  }
  // The canonical id must stay an id the finding is known by, so the rule id is kept and the
  // other's ids become aliases.
  add_unique(a.aliases, b.rule_id);
  for (auto& x : b.aliases) add_unique(a.aliases, x);
  a.aliases.erase(std::remove(a.aliases.begin(), a.aliases.end(), a.rule_id), a.aliases.end());
  if (a.package.fixed_version.empty()) a.package.fixed_version = b.package.fixed_version;
  if (a.package.purl.empty()) a.package.purl = b.package.purl;
  if (a.package.type.empty()) a.package.type = b.package.type;
  if (a.package.path.empty()) a.package.path = b.package.path;
  if (a.title.empty()) a.title = b.title;
  if (a.message.empty()) a.message = b.message;
  if (a.help_uri.empty()) a.help_uri = b.help_uri;
  model::merge_risk(a.risk, b.risk);  // only grype carries EPSS/KEV: trivy's twin must not lose them
  if (!a.waiver && b.waiver) a.waiver = std::move(b.waiver);
  if (a.baseline == model::BaselineState::None) a.baseline = b.baseline;
}

// Two findings merge only when different tools reported them: when one tool reported everything
// (the common single-scanner gate), there is nothing to merge and no key needs building.
bool one_tool_only(const model::Run& run) {
  const std::string* tool = nullptr;
  for (auto& s : run.steps)
    for (auto& f : s.findings) {
      if (f.sources.size() > 1) return false;
      const std::string& t = f.sources.empty() ? f.tool : f.sources.front();
      if (!tool) tool = &t;
      else if (*tool != t) return false;
    }
  return true;
}

}  // namespace

std::size_t dedup(model::Run& run) {
  if (one_tool_only(run)) return 0;
  // Several findings of one tool may share a key (one package at two paths): each key keeps
  // every finding that had it, so the second path of grype can meet the second path of trivy.
  std::unordered_map<std::string, std::vector<Ref>> seen;
  std::vector<std::vector<bool>> gone(run.steps.size());
  std::size_t merged = 0;
  for (std::size_t s = 0; s < run.steps.size(); ++s) {
    auto& findings = run.steps[s].findings;
    gone[s].assign(findings.size(), false);
    for (std::size_t i = 0; i < findings.size(); ++i) {
      auto& f = findings[i];
      if (f.kind == model::Kind::Lint) {
        // The built-in lint and hadolint (steps.lint.tool: both) report one Dockerfile problem
        // twice: a DG rule carries its hadolint code (DLxxxx) as an alias, so the two meet on
        // code + file + line.
        std::string path = f.location.path;
        while (path.starts_with("./")) path.erase(0, 2);
        std::vector<std::string> lkeys;
        auto add_key = [&](const std::string& code) {
          if (code.starts_with("DL"))
            lkeys.push_back("lint\x1f" + code + "\x1f" + path + "\x1f" + std::to_string(f.location.line));
        };
        add_key(f.rule_id);
        for (auto& a : f.aliases) add_key(a);
        bool folded = false;
        for (auto& k : lkeys) {
          auto it = seen.find(k);
          if (it == seen.end()) continue;
          for (auto& ref : it->second) {
            auto& other = run.steps[ref.step].findings[ref.index];
            if (!disjoint(tools_of(other), tools_of(f))) continue;
            // Only the built-in lint maps its rules onto hadolint's codes; two other tools that
            // happen to share a code are not known to mean the same thing.
            if ((other.tool == "dockgate-lint") == (f.tool == "dockgate-lint")) continue;
            absorb(other, f);
            gone[s][i] = true;
            ++merged;
            run.steps[ref.step].metrics["findings_merged"] += 1;
            folded = true;
            break;
          }
          if (folded) break;
        }
        if (!folded)
          for (auto& k : lkeys) seen[k].push_back(Ref{s, i});
        continue;
      }
      if (f.kind != model::Kind::Vulnerability || f.package.name.empty()) continue;
      auto ids = ids_of(f);
      auto f_tools = tools_of(f);
      std::optional<Ref> into;
      bool exact = false;
      for (auto& id : ids) {
        auto it = seen.find(key(f, id));
        if (it == seen.end()) continue;
        for (auto& ref : it->second) {
          auto& other = run.steps[ref.step].findings[ref.index];
          if (!disjoint(tools_of(other), f_tools)) continue;
          bool same_path = same_package_path(other, f);
          if (!into || (same_path && !exact)) {
            into = ref;
            exact = same_path;
          }
          if (exact) break;
        }
        if (exact) break;
      }
      auto remember = [&](const model::Finding& under, Ref ref) {
        for (auto& id : ids) {
          auto& refs = seen[key(under, id)];
          bool known = false;
          for (auto& r : refs) known = known || (r.step == ref.step && r.index == ref.index);
          if (!known) refs.push_back(ref);
        }
      };
      if (into) {
        auto& target = run.steps[into->step].findings[into->index];
        absorb(target, f);
        gone[s][i] = true;
        ++merged;
        run.steps[into->step].metrics["findings_merged"] += 1;
        // The absorbed ids now lead to the merged finding too (a third scanner may know it by them).
        remember(target, *into);
      } else {
        remember(f, Ref{s, i});
      }
    }
  }
  if (merged == 0) return 0;
  for (std::size_t s = 0; s < run.steps.size(); ++s) {
    auto& findings = run.steps[s].findings;
    std::size_t w = 0;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (gone[s][i]) continue;
      if (w != i) findings[w] = std::move(findings[i]);
      ++w;
    }
    findings.resize(w);
  }
  run.merged_duplicates += merged;
  return merged;
}

}  // namespace dg::policy
