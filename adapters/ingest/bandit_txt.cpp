// bandit -f txt, and -f screen (the same text with VT100 colors):
//   >> Issue: [B404:blacklist] Consider possible security implications ...
//      Severity: Low   Confidence: High
//      CWE: CWE-78 (https://cwe.mitre.org/data/definitions/78.html)      (1.7.3+)
//      Location: ./app.py:1:0                                            (":col" since 1.7)
//      More Info: https://bandit.readthedocs.io/...
//   1	import subprocess
//   --------------------------------------------------
// and, at the end, "Files skipped (N):" with one "\tFILE (REASON)" line per file it could not
// scan. The header lines are matched by label, not by position: their order changed over time.
// In baseline mode an issue is followed by indented "-- Candidate Issues --"; those are
// possible matches of the one issue, not issues of their own.
#include <optional>

#include "adapters/ingest/bandit_common.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

// Removes ESC [ ... letter sequences; line breaks stay where they were, so line numbers hold.
std::string strip_ansi(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\x1b' && i + 1 < s.size() && s[i + 1] == '[') {
      std::size_t j = i + 2;
      while (j < s.size() && !((s[j] >= '@' && s[j] <= '~') || s[j] == '\n')) ++j;
      if (j < s.size() && s[j] != '\n') i = j;
      else i = j - 1;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

bool is_number(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// "path:line" (bandit < 1.7) or "path:line:col"; the path may itself hold ':'.
void parse_location(std::string_view where, bandit::Issue& i) {
  auto last = where.rfind(':');
  if (last == std::string_view::npos) {
    i.filename = util::trim(where);
    return;
  }
  std::string_view tail = where.substr(last + 1);
  std::string_view head = where.substr(0, last);
  auto prev = head.rfind(':');
  if (is_number(tail) && prev != std::string_view::npos && is_number(head.substr(prev + 1))) {
    i.line = bandit::to_int(head.substr(prev + 1));
    i.col_offset = bandit::to_int(tail);
    i.filename = util::trim(head.substr(0, prev));
    return;
  }
  i.line = is_number(tail) ? bandit::to_int(tail) : 0;
  i.filename = util::trim(head);
}

// "Severity: Low   Confidence: High"
void parse_levels(std::string_view s, bandit::Issue& i) {
  auto word = [&](std::string_view label) -> std::string {
    auto p = s.find(label);
    if (p == std::string_view::npos) return {};
    p += label.size();
    p = s.find_first_not_of(' ', p);
    if (p == std::string_view::npos) return {};
    auto e = s.find_first_of(" \t", p);
    return std::string(s.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
  };
  i.severity = word("Severity:");
  i.confidence = word("Confidence:");
}

}  // namespace

ParseResult parse_bandit_txt(const Input& in) {
  ParsedReport out;
  bandit::repair_text(in, out.warnings);
  std::string_view text = in.text();
  std::string plain;
  if (text.find('\x1b') != std::string_view::npos) {
    plain = strip_ansi(text);
    text = plain;
  }
  if (text.find("Test results:") == std::string_view::npos)
    return std::unexpected(in.error("bandit text: no \"Test results:\" section (expected bandit -f txt or -f screen)"));

  model::StepResult step = bandit::make_step();
  std::optional<bandit::Issue> cur;
  bool candidates = false;  // inside a baseline issue's candidate list
  bool skipped = false;     // inside "Files skipped (N):"
  auto flush = [&] {
    if (cur) bandit::add_issue(step, std::move(*cur));
    cur.reset();
    candidates = false;
  };

  std::size_t pos = 0;
  int lineno = 0;  // colors removed, offsets differ from the file's but lines do not
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    ++lineno;
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    if (line.starts_with(">> Issue: ")) {
      flush();
      std::string_view rest = line.substr(10);
      auto close = rest.find(']');
      if (!rest.starts_with("[") || close == std::string_view::npos) {
        auto e = in.error("bandit text: an issue line without [TEST_ID:test_name]: \"" +
                          util::truncate_utf8(line, 80) + "\"");
        e.line = lineno;
        return std::unexpected(std::move(e));
      }
      bandit::Issue i;
      std::string_view ids = rest.substr(1, close - 1);
      auto colon = ids.find(':');
      if (colon == std::string_view::npos) {
        i.test_name = ids;
      } else {
        i.test_id = ids.substr(0, colon);
        i.test_name = ids.substr(colon + 1);
      }
      i.text = util::trim(rest.substr(close + 1));
      cur = std::move(i);
      skipped = false;
      continue;
    }
    if (line.starts_with("Files skipped (")) {
      flush();
      skipped = true;
      continue;
    }
    if (skipped) {
      if (!line.starts_with("\t")) {
        skipped = false;
        continue;
      }
      std::string_view entry = line.substr(1);
      auto open = entry.rfind(" (");
      if (open != std::string_view::npos && entry.ends_with(")"))
        bandit::add_error(step, entry.substr(0, open), entry.substr(open + 2, entry.size() - open - 3));
      else
        bandit::add_error(step, entry, "");
      continue;
    }
    if (!cur) continue;
    if (line.starts_with("-----")) {
      flush();
      continue;
    }
    if (candidates) continue;
    std::string_view t = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
    if (t.starts_with(">> Issue: ") || t.starts_with("-- Candidate Issues --")) {
      candidates = true;
      continue;
    }
    auto digits = line.find_first_not_of("0123456789");
    if (digits > 0 && digits != std::string_view::npos && line[digits] == '\t') {
      cur->code.append(line);
      cur->code.push_back('\n');
    } else if (t.starts_with("Severity:")) {
      parse_levels(t, *cur);
    } else if (t.starts_with("Location:")) {
      parse_location(util::trim(t.substr(9)), *cur);
    } else if (t.starts_with("More Info:")) {
      cur->more_info = util::trim(t.substr(10));
    } else if (t.starts_with("CWE:")) {
      cur->cwe = util::trim(t.substr(4));
    } else if (!t.empty() && cur->severity.empty() && cur->code.empty()) {
      cur->text += ' ';  // an issue text that itself held a line break
      cur->text += util::trim(t);
    }
  }
  flush();
  return bandit::finish(std::move(step), "bandit-txt", std::move(out.warnings));
}

}  // namespace dg::ingest
