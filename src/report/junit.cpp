// JUnit XML: one <testsuite> per step, one <testcase> per rule within the step. A rule id is a
// stable test name across runs, so GitLab's MR test widget and Jenkins' test history can say
// "DL3008 started failing" instead of listing one anonymous test per finding.
// A rule fails only through findings that gate (Finding::gating). A rule whose findings are all
// reported but not counted (waived, unfixed, not new, below the threshold) is a <skipped> test
// whose message says why: GitLab's test report and Jenkins' JUnit view both list skipped tests
// apart from failures and show the message, and neither turns them red.
#include <algorithm>
#include <unordered_map>
#include <sstream>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/report/writers.hpp"
#include "src/report/xml_out.hpp"
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

// Appended, not returned: it runs once per finding, and the temporaries of `a + b + …` were a
// third of the writer's time on a large report.
void describe(std::string& s, const Finding& f) {
  s += model::to_string(f.severity);
  if (auto w = one_line(where(f)); !w.empty()) s.append("  ").append(w);
  if (!f.location.target.empty() && !f.location.path.empty()) s.append("  (").append(one_line(f.location.target)) += ')';
  if (f.baseline != model::BaselineState::None) s.append("  [").append(model::to_string(f.baseline)) += ']';
  s.append("\n  ").append(one_line(f.title));
  // Smoke and image findings carry their numbers in the message (HTTP status, attempts, sizes).
  if ((f.kind == model::Kind::Smoke || f.kind == model::Kind::Image) && !f.message.empty())
    s.append("\n  ").append(one_line(f.message));
  if (auto r = risk_text(f); !r.empty()) s.append("\n  ").append(one_line(r));
  if (auto fix = package_fix(f); !fix.empty() && f.location.path.empty()) s.append("\n  ").append(one_line(fix));
  else if (!fix.empty()) s.append("\n  package: ").append(one_line(fix));
  if (!f.help_uri.empty()) s.append("\n  ").append(one_line(f.help_uri));
}

struct Group {
  std::string rule;
  std::vector<const Finding*> gating, other;
};

// "2 unfixed, 1 waived": why the findings of a rule do not count, most common first.
std::string why_not_summary(const std::vector<const Finding*>& fs) {
  std::vector<std::pair<std::string_view, int>> counts;
  for (auto* f : fs) {
    std::string_view why = f->why_not.empty() ? std::string_view("not counted") : std::string_view(f->why_not);
    auto it = std::find_if(counts.begin(), counts.end(), [&](auto& c) { return c.first == why; });
    if (it == counts.end()) counts.emplace_back(why, 1);
    else ++it->second;
  }
  std::stable_sort(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.second > b.second; });
  std::string out;
  for (auto& [why, n] : counts) {
    if (!out.empty()) out += ", ";
    out.append(std::to_string(n)).append(" ").append(why);
  }
  return out;
}

struct SuiteTally {
  int tests = 0, failures = 0, errors = 0, skipped = 0;
};

// The XML is appended as text, indented as pugixml's format_indent wrote it (the golden file and
// every consumer saw that layout): two spaces a level, `<x a="1" />` for an empty element.
class Xml {
 public:
  explicit Xml(std::string& out) : out_(out) {}
  // "<name" at `depth`; then attributes, then one of the closers below.
  Xml& open(int depth, std::string_view name) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += '<';
    out_ += name;
    return *this;
  }
  Xml& attr(std::string_view name, std::string_view v) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_xml_attr(out_, v);
    out_ += '"';
    return *this;
  }
  void empty() { out_ += " />\n"; }  // no children
  void children() { out_ += ">\n"; }
  void close(int depth, std::string_view name) {
    out_.append(static_cast<std::size_t>(depth) * 2, ' ');
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  void text(std::string_view name, std::string_view text) {  // <name ...>text</name>
    out_ += '>';
    append_xml_text(out_, text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }

 private:
  std::string& out_;
};

void testcase(Xml& x, std::string_view classname, std::string_view name) {
  x.open(2, "testcase").attr("name", name).attr("classname", classname).attr("time", "0");
}

void fail(Xml& x, const char* elem, std::string_view message, std::string_view type, std::string_view text) {
  x.children();
  x.open(3, elem).attr("message", message).attr("type", type).text(elem, text);
  x.close(2, "testcase");
}

void skipped(Xml& x, std::string_view message) {
  x.children();
  x.open(3, "skipped").attr("message", message).empty();
  x.close(2, "testcase");
}

void write_suite(std::string& out, TextSink& sink, const StepResult& s, const model::Run& run, int id) {
  // Group by rule, in worst-first order of each rule's worst finding.
  std::vector<Group> groups;
  std::unordered_map<std::string_view, std::size_t> index;
  for (auto* f : worst_first(s.findings)) {
    auto [it, fresh] = index.try_emplace(f->rule_id, groups.size());
    if (fresh) groups.push_back({f->rule_id, {}, {}});
    auto& g = groups[it->second];
    (f->gating ? g.gating : g.other).push_back(f);
  }
  // The counts come before the testcases in the XSD's attribute order: tally them first.
  SuiteTally t;
  bool lone_case = groups.empty() && s.status != StepStatus::Skipped && s.status != StepStatus::Error;
  t.tests = static_cast<int>(groups.size()) + (s.status == StepStatus::Skipped || s.status == StepStatus::Error || lone_case);
  t.skipped = s.status == StepStatus::Skipped;
  t.errors = s.status == StepStatus::Error;
  t.failures = lone_case && s.status == StepStatus::Failed;
  for (auto& g : groups) ++(g.gating.empty() ? t.skipped : t.failures);

  Xml x(out);
  x.open(1, "testsuite")
      .attr("name", s.name)
      .attr("package", "dockgate")
      .attr("id", std::to_string(id))
      .attr("timestamp", junit_timestamp(run.started_at))
      .attr("hostname", "localhost")
      .attr("tests", std::to_string(t.tests))
      .attr("failures", std::to_string(t.failures))
      .attr("errors", std::to_string(t.errors))
      .attr("skipped", std::to_string(t.skipped))
      .attr("time", seconds(s.duration_ms))
      .children();

  std::vector<std::pair<std::string, std::string>> props;
  auto prop = [&](std::string name, std::string_view v) {
    if (!v.empty()) props.emplace_back(std::move(name), v);
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
    prop("metric." + k, os.str());
  }
  x.open(2, "properties");
  if (props.empty()) {
    x.empty();
  } else {
    x.children();
    for (auto& [name, v] : props) x.open(3, "property").attr("name", name).attr("value", v).empty();
    x.close(2, "properties");
  }

  std::string classname = "dockgate." + s.name;

  if (s.status == StepStatus::Skipped) {
    testcase(x, classname, s.name);
    skipped(x, s.errors.empty() ? "step skipped" : s.errors.front());
  }
  if (s.status == StepStatus::Error) {
    testcase(x, classname, s.name);
    std::string text;
    for (auto& e : s.errors) text += one_line(e) + "\n";
    if (!s.log_excerpt.empty()) text += "\n" + log_text(s.log_excerpt);
    fail(x, "error", s.errors.empty() ? "the step could not run" : one_line(s.errors.front()), "StepError", text);
  }

  for (auto& g : groups) {
    testcase(x, classname, g.rule.empty() ? "(no rule id)" : g.rule);
    if (!g.gating.empty()) {
      auto& worst = *g.gating.front();
      std::string msg = std::to_string(g.gating.size()) + " " + std::string(model::to_string(worst.severity)) +
                        (g.gating.size() == 1 ? " finding: " : " findings (worst first): ") + one_line(finding_text(worst));
      std::string text;
      for (auto* f : g.gating) {
        describe(text, *f);
        text += '\n';
      }
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
      fail(x, "failure", util::truncate_utf8(msg, 500), std::string(model::to_string(worst.severity)), text);
    } else {
      std::string msg = std::to_string(g.other.size()) + (g.other.size() == 1 ? " finding" : " findings") +
                        " reported, not counted: " + why_not_summary(g.other);
      skipped(x, util::truncate_utf8(msg, 500));
    }
    spill(out, sink);
  }
  if (lone_case) {
    testcase(x, classname, s.name);
    if (s.status == StepStatus::Failed)  // failed without a finding: say so rather than pass
      fail(x, "failure", "the step failed", "failed", log_text(s.log_excerpt));
    else
      x.empty();
  }

  // Suite-level system-out (the XSD allows no output inside a testcase): a line per finding
  // that does not count, escaped line by line as it is made.
  x.open(2, "system-out");
  out += '>';
  std::string line;
  for (auto& g : groups) {
    for (auto* f : g.other) {
      line = g.rule;
      if (f->waiver) {
        line.append(": waived: ").append(one_line(where(*f))).append(" - ").append(one_line(f->waiver->reason));
        if (!f->waiver->expires.empty()) line.append(" (until ").append(f->waiver->expires) += ')';
      } else {
        line.append(": not counted (").append(f->why_not.empty() ? "not counted" : f->why_not).append("): ");
        describe(line, *f);
      }
      line += '\n';
      append_xml_text(out, line);
      spill(out, sink);
    }
  }
  if (!s.log_excerpt.empty()) append_xml_text(out, "log excerpt:\n" + log_text(s.log_excerpt) + "\n");
  out += "</system-out>\n";
  x.open(2, "system-err").empty();
  x.close(1, "testsuite");
}

}  // namespace

void write_junit(const model::Run& run, TextSink& sink) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (run.steps.empty()) {
    out += "<testsuites />\n";
  } else {
    out += "<testsuites>\n";
    int id = 0;
    for (auto& s : run.steps) write_suite(out, sink, s, run, id++);
    out += "</testsuites>\n";
  }
  sink.put(out);
}

std::string write_junit(const model::Run& run) {
  StringSink sink;
  write_junit(run, sink);
  return std::move(sink.text);
}

}  // namespace dg::report
