// JUnit XML: one <testsuite> per step, one <testcase> per rule within the step. A rule id is a
// stable test name across runs, so GitLab's MR test widget and Jenkins' test history can say
// "DL3008 started failing" instead of listing one anonymous test per finding.
// A rule fails only through findings that gate (Finding::gating). A rule whose findings are all
// reported but not counted (waived, unfixed, not new, below the threshold) is a <skipped> test
// whose message says why: GitLab's test report and Jenkins' JUnit view both list skipped tests
// apart from failures and show the message, and neither turns them red.
#include <pugixml.hpp>

#include <algorithm>
#include <map>
#include <sstream>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/writers.hpp"
#include "src/util/text.hpp"

namespace dg::report {
namespace {

using model::Finding;
using model::StepResult;
using model::StepStatus;

// XSD's dateTime without a zone: 2026-11-23T15:00:00.
std::string junit_timestamp(const std::string& rfc3339) {
  if (rfc3339.size() >= 19 && rfc3339[10] == 'T') return rfc3339.substr(0, 19);
  return "1970-01-01T00:00:00";
}

std::string seconds(std::int64_t ms) {
  std::ostringstream os;
  os << ms / 1000 << '.' << (ms % 1000) / 100 << (ms % 100) / 10 << ms % 10;
  return os.str();
}

void attr(pugi::xml_node n, const char* name, std::string_view v) {
  n.append_attribute(name).set_value(xml_clean(v).c_str());
}

std::string describe(const Finding& f) {
  std::string s(model::to_string(f.severity));
  if (auto w = one_line(where(f)); !w.empty()) s += "  " + w;
  if (!f.location.target.empty() && !f.location.path.empty()) s += "  (" + one_line(f.location.target) + ")";
  if (f.baseline != model::BaselineState::None) s += "  [" + std::string(model::to_string(f.baseline)) + "]";
  s += "\n  " + one_line(f.title);
  // Smoke and image findings carry their numbers in the message (HTTP status, attempts, sizes).
  if ((f.kind == model::Kind::Smoke || f.kind == model::Kind::Image) && !f.message.empty())
    s += "\n  " + one_line(f.message);
  if (auto r = risk_text(f); !r.empty()) s += "\n  " + one_line(r);
  if (auto fix = package_fix(f); !fix.empty() && f.location.path.empty()) s += "\n  " + one_line(fix);
  else if (!fix.empty()) s += "\n  package: " + one_line(fix);
  if (!f.help_uri.empty()) s += "\n  " + one_line(f.help_uri);
  return s;
}

struct Group {
  std::string rule;
  std::vector<const Finding*> gating, other;
};

// "2 unfixed, 1 waived": why the findings of a rule do not count, most common first.
std::string why_not_summary(const std::vector<const Finding*>& fs) {
  std::vector<std::pair<std::string, int>> counts;
  for (auto* f : fs) {
    std::string why = f->why_not.empty() ? "not counted" : f->why_not;
    auto it = std::find_if(counts.begin(), counts.end(), [&](auto& c) { return c.first == why; });
    if (it == counts.end()) counts.emplace_back(why, 1);
    else ++it->second;
  }
  std::stable_sort(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second > b.second; });
  std::string out;
  for (auto& [why, n] : counts) out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + why;
  return out;
}

struct SuiteTally {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
};

pugi::xml_node testcase(pugi::xml_node suite, const StepResult& s, std::string_view name, SuiteTally& t) {
  auto tc = suite.append_child("testcase");
  attr(tc, "name", name);
  attr(tc, "classname", "dockgate." + s.name);
  attr(tc, "time", "0");
  ++t.tests;
  return tc;
}

void fail(pugi::xml_node tc, const char* elem, std::string_view message, std::string_view type, std::string_view text,
          int& counter) {
  auto f = tc.append_child(elem);
  attr(f, "message", message);
  attr(f, "type", type);
  f.append_child(pugi::node_pcdata).set_value(xml_clean(text).c_str());
  ++counter;
}

void write_suite(pugi::xml_node root, const StepResult& s, const model::Run& run, int id) {
  auto suite = root.append_child("testsuite");
  attr(suite, "name", s.name);
  attr(suite, "package", "dockgate");
  attr(suite, "id", std::to_string(id));
  attr(suite, "timestamp", junit_timestamp(run.started_at));
  attr(suite, "hostname", "localhost");
  // Counts are filled in once the testcases are written; the XSD wants them in this order.
  for (auto* a : {"tests", "failures", "errors", "skipped", "time"}) suite.append_attribute(a);

  auto props = suite.append_child("properties");
  auto prop = [&](const char* name, std::string_view v) {
    if (v.empty()) return;
    auto p = props.append_child("property");
    attr(p, "name", name);
    attr(p, "value", v);
  };
  prop("tool", s.tool);
  prop("tool_version", s.tool_version);
  prop("status", model::to_string(s.status));
  prop("format", s.format);
  for (auto& in : s.inputs) prop("input", in);
  prop("commit", run.context.commit);
  prop("job_url", run.context.job_url);
  for (auto& [k, v] : s.metrics) {
    std::ostringstream os;
    os.precision(15);
    os << v;
    prop(("metric." + k).c_str(), os.str());
  }

  SuiteTally t;
  std::string out;  // suite-level system-out: the XSD allows no output inside a testcase

  if (s.status == StepStatus::Skipped) {
    auto tc = testcase(suite, s, s.name, t);
    auto sk = tc.append_child("skipped");
    attr(sk, "message", s.errors.empty() ? "step skipped" : s.errors.front());
    ++t.skipped;
  }
  if (s.status == StepStatus::Error) {
    auto tc = testcase(suite, s, s.name, t);
    std::string text;
    for (auto& e : s.errors) text += one_line(e) + "\n";
    if (!s.log_excerpt.empty()) text += "\n" + log_text(s.log_excerpt);
    fail(tc, "error", s.errors.empty() ? "the step could not run" : one_line(s.errors.front()), "StepError", text,
         t.errors);
  }

  // Group by rule, in worst-first order of each rule's worst finding.
  std::vector<Group> groups;
  std::map<std::string, std::size_t> index;
  for (auto* f : worst_first(s.findings)) {
    auto [it, fresh] = index.try_emplace(f->rule_id, groups.size());
    if (fresh) groups.push_back({f->rule_id, {}, {}});
    auto& g = groups[it->second];
    (f->gating ? g.gating : g.other).push_back(f);
  }
  for (auto& g : groups) {
    auto tc = testcase(suite, s, g.rule.empty() ? "(no rule id)" : g.rule, t);
    if (!g.gating.empty()) {
      auto& worst = *g.gating.front();
      std::string msg = std::to_string(g.gating.size()) + " " + std::string(model::to_string(worst.severity)) +
                        (g.gating.size() == 1 ? " finding: " : " findings (worst first): ") + one_line(finding_text(worst));
      std::string text;
      for (auto* f : g.gating) text += describe(*f) + "\n";
      if (!g.other.empty())
        text += std::to_string(g.other.size()) + " more not counted (" + why_not_summary(g.other) + ")\n";
      if (worst.kind == model::Kind::Smoke && !s.log_excerpt.empty()) text += "\nlog excerpt:\n" + log_text(s.log_excerpt) + "\n";
      if (worst.kind == model::Kind::Image) {
        if (auto line = size_line(s); !line.empty()) text += "\n" + line + "\n";
        if (auto layers = largest_layers(s, 3); !layers.empty()) {
          text += "largest layers:\n";
          for (auto& l : layers) text += "  " + one_line(l) + "\n";
        }
      }
      fail(tc, "failure", util::truncate_utf8(msg, 500), std::string(model::to_string(worst.severity)), text, t.failures);
    } else {
      std::string msg = std::to_string(g.other.size()) + (g.other.size() == 1 ? " finding" : " findings") +
                        " reported, not counted: " + why_not_summary(g.other);
      attr(tc.append_child("skipped"), "message", util::truncate_utf8(msg, 500));
      ++t.skipped;
    }
    for (auto* f : g.other) {
      if (f->waiver)
        out += g.rule + ": waived: " + one_line(where(*f)) + " - " + one_line(f->waiver->reason) +
               (f->waiver->expires.empty() ? "" : " (until " + f->waiver->expires + ")") + "\n";
      else
        out += g.rule + ": not counted (" + (f->why_not.empty() ? "not counted" : f->why_not) + "): " + describe(*f) + "\n";
    }
  }
  if (groups.empty() && s.status != StepStatus::Skipped && s.status != StepStatus::Error) {
    auto tc = testcase(suite, s, s.name, t);
    if (s.status == StepStatus::Failed)  // failed without a finding: say so rather than pass
      fail(tc, "failure", "the step failed", "failed", log_text(s.log_excerpt), t.failures);
  }
  if (!s.log_excerpt.empty()) out += "log excerpt:\n" + log_text(s.log_excerpt) + "\n";

  suite.attribute("tests").set_value(t.tests);
  suite.attribute("failures").set_value(t.failures);
  suite.attribute("errors").set_value(t.errors);
  suite.attribute("skipped").set_value(t.skipped);
  suite.attribute("time").set_value(seconds(s.duration_ms).c_str());
  suite.append_child("system-out").append_child(pugi::node_pcdata).set_value(xml_clean(out).c_str());
  suite.append_child("system-err");
}

}  // namespace

std::string write_junit(const model::Run& run) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  auto root = doc.append_child("testsuites");
  int id = 0;
  for (auto& s : run.steps) write_suite(root, s, run, id++);
  std::ostringstream os;
  doc.save(os, "  ", pugi::format_indent, pugi::encoding_utf8);
  return os.str();
}

}  // namespace dg::report
