// JUnit XML: one <testsuite> per step, one <testcase> per rule within the step. A rule id is a
// stable test name across runs, so GitLab's MR test widget and Jenkins' test history can say
// "DL3008 started failing" instead of listing one anonymous test per finding.
#include <pugixml.hpp>

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
  if (auto fix = package_fix(f); !fix.empty() && f.location.path.empty()) s += "\n  " + one_line(fix);
  else if (!fix.empty()) s += "\n  package: " + one_line(fix);
  if (!f.help_uri.empty()) s += "\n  " + one_line(f.help_uri);
  return s;
}

struct Group {
  std::string rule;
  std::vector<const Finding*> counted, waived;
};

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
    (f->waiver ? g.waived : g.counted).push_back(f);
  }
  bool step_failed = s.status == StepStatus::Failed || s.status == StepStatus::Error;
  for (auto& g : groups) {
    auto tc = testcase(suite, s, g.rule.empty() ? "(no rule id)" : g.rule, t);
    if (!g.counted.empty() && step_failed) {
      auto& worst = *g.counted.front();
      std::string msg = std::to_string(g.counted.size()) + " " + std::string(model::to_string(worst.severity)) +
                        (g.counted.size() == 1 ? " finding: " : " findings (worst first): ") + one_line(worst.title);
      std::string text;
      for (auto* f : g.counted) text += describe(*f) + "\n";
      if (!g.waived.empty()) text += std::to_string(g.waived.size()) + " more waived\n";
      if (worst.kind == model::Kind::Smoke && !s.log_excerpt.empty()) text += "\nlog excerpt:\n" + log_text(s.log_excerpt) + "\n";
      fail(tc, "failure", util::truncate_utf8(msg, 500), std::string(model::to_string(worst.severity)), text, t.failures);
    } else if (!g.counted.empty()) {
      out += g.rule + ": " + std::to_string(g.counted.size()) + " finding(s) below the policy threshold\n";
      for (auto* f : g.counted) out += "  " + describe(*f) + "\n";
    }
    for (auto* f : g.waived)
      out += g.rule + ": waived: " + one_line(where(*f)) + " - " + one_line(f->waiver->reason) +
             (f->waiver->expires.empty() ? "" : " (until " + f->waiver->expires + ")") + "\n";
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
