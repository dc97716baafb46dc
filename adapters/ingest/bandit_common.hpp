#pragma once
// What every bandit format shares: one issue as any format gives it, and how it becomes a
// finding. Each format parser (json, csv, xml, txt, html) only reads its syntax into Issue.
#include <string>
#include <string_view>

#include "adapters/ingest/report.hpp"

namespace dg::ingest::bandit {

// One bandit result. Fields a format does not carry stay empty / 0.
struct Issue {
  std::string filename;
  std::string test_id;    // B602; empty in bandit < 1.5 XML (then test_name stands in)
  std::string test_name;  // subprocess_popen_with_shell_equals_true
  std::string severity;   // HIGH / MEDIUM / LOW / UNDEFINED
  std::string confidence;
  std::string text;       // issue_text
  std::string more_info;
  std::string code;       // bandit's code excerpt ("12 line\n" or "12\tline\n" per line), if any
  std::string cwe;        // "703", "CWE-703" or a cwe.mitre.org link; empty or 0 = none
  int line = 0;
  int col_offset = -1;    // 0-based as bandit writes it; -1 = not given
  int end_line = 0;       // last line of line_range
};

// Text formats: replaces invalid UTF-8 in place (offsets kept) and says so in `warnings`, as the
// JSON path does; one bad byte copied from a source line must not cost the report.
void repair_text(const Input& in, std::vector<std::string>& warnings);

// A step named bandit with nothing in it yet.
model::StepResult make_step();

// Maps an issue onto the model and appends it. Hard-coded password tests (B105-B107) become
// Kind::Secret without the code and without the quoted value bandit puts in its text.
void add_issue(model::StepResult& step, Issue&& issue);

// A file bandit could not scan (syntax error, unreadable): the step is in error, since a file
// that was not scanned is not a clean pass.
void add_error(model::StepResult& step, std::string_view filename, std::string_view reason);

// Fingerprints; wraps the step into a report of `format` (bandit-json, bandit-csv, …).
ParsedReport finish(model::StepResult&& step, std::string_view format, std::vector<std::string> warnings = {});

// The line `line` of a bandit code excerpt, without its number, trimmed; empty when absent.
std::string code_line(std::string_view code, int line);

// The last number of a line_range written as text ("[4, 5, 6]"); 0 when there is none.
int last_of_range(std::string_view range);

// Parses a decimal int; `fallback` when `s` is not one.
int to_int(std::string_view s, int fallback = 0);

// Decodes the entities bandit's HTML and XML writers produce (&amp; &lt; &gt; &quot; &#39; &#x27;
// and numeric ones).
std::string html_unescape(std::string_view s);

}  // namespace dg::ingest::bandit
