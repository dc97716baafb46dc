// bandit -f html. Read as text, not as XML: bandit inserts the issue text and the file name
// unescaped, so the page is not well-formed in general. Each issue is a block
//   <div id="issue-N"><div class="issue-block issue-sev-low">
//     <b>TEST_NAME: </b> TEXT<br>
//     <b>Test ID:</b> B101<br>  <b>Severity: </b>LOW<br>  <b>Confidence: </b>HIGH<br>
//     <b>CWE: </b><a href="LINK" ...>CWE-703</a><br>                 (1.7.3+)
//     <b>File: </b><a href="PATH" ...>PATH</a> <br>
//     <b>Line number: </b>12<br>                                      (1.7+)
//     <b>More info: </b><a href="URL" ...>URL</a><br>
//     <div class="code"><pre>\n11\tcode\n12\tcode\n</pre></div>       (escaped)
// and the files bandit could not scan are listed as "FILE <b>reason:</b> REASON<br>" under
// <div id="skipped">.
#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "adapters/ingest/bandit_common.hpp"
#include "adapters/ingest/parsers.hpp"
#include "src/util/text.hpp"

namespace dg::ingest {

namespace {

std::string strip_tags(std::string_view s) {
  std::string out;
  bool in_tag = false;
  for (char c : s) {
    if (c == '<') in_tag = true;
    else if (c == '>' && in_tag) in_tag = false;
    else if (!in_tag) out.push_back(c);
  }
  return out;
}

// The rest of the line after `label` in `block`, "<br>" and (unless `raw`) tags removed.
std::string field(std::string_view block, std::string_view label, bool raw = false) {
  auto p = block.find(label);
  if (p == std::string_view::npos) return {};
  p += label.size();
  auto end = block.find('\n', p);
  std::string_view v = block.substr(p, end == std::string_view::npos ? std::string_view::npos : end - p);
  while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.remove_suffix(1);
  if (v.ends_with("<br>")) v.remove_suffix(4);
  return bandit::html_unescape(util::trim(raw ? std::string(v) : strip_tags(v)));
}

// The code excerpt: "<pre>\n...\n</pre>" inside <div class="code">.
std::string code_of(std::string_view block) {
  auto div = block.find("<div class=\"code\">");
  if (div == std::string_view::npos) return {};
  auto open = block.find("<pre>", div);
  if (open == std::string_view::npos) return {};
  open += 5;
  auto close = block.find("</pre>", open);
  if (close == std::string_view::npos) return {};
  return bandit::html_unescape(block.substr(open, close - open));
}

// The numbers of the code lines of an excerpt: first shown line and how many there are.
std::pair<int, int> shown_lines(std::string_view code) {
  int first = 0, n = 0;
  for (auto& l : util::split(code, '\n')) {
    auto d = l.find_first_not_of("0123456789");
    if (d == 0 || d == std::string::npos || l[d] != '\t') continue;
    if (n++ == 0) first = bandit::to_int(std::string_view(l).substr(0, d));
  }
  return {first, n};
}

}  // namespace

ParseResult parse_bandit_html(const Input& in) {
  ParsedReport out;
  bandit::repair_text(in, out.warnings);
  std::string_view text = in.text();
  if (text.find("<div id=\"results\">") == std::string_view::npos &&
      text.find("<div id=\"issue-") == std::string_view::npos)
    return std::unexpected(in.error("bandit HTML: no <div id=\"results\"> (expected bandit -f html)"));

  model::StepResult step = bandit::make_step();

  if (auto sk = text.find("<div id=\"skipped\">"); sk != std::string_view::npos) {
    const std::string_view head = "Skipped files:</b>";
    auto start = text.find(head, sk);
    auto end = text.find("</div>", sk);
    if (start != std::string_view::npos && start < end) {
      std::string_view list = text.substr(start + head.size(), end - start - head.size());
      std::size_t p = 0;
      while (p < list.size()) {
        auto br = list.find("<br>", p);
        std::string_view entry = list.substr(p, br == std::string_view::npos ? std::string_view::npos : br - p);
        p = br == std::string_view::npos ? list.size() : br + 4;
        auto r = entry.find("<b>reason:</b>");
        if (r == std::string_view::npos) continue;
        bandit::add_error(step, bandit::html_unescape(util::trim(entry.substr(0, r))),
                          bandit::html_unescape(util::trim(entry.substr(r + 14))));
      }
    }
  }

  // Issue blocks, in order; each ends where the next begins.
  std::vector<std::pair<std::size_t, std::size_t>> blocks;
  const std::string_view marker = "<div id=\"issue-";
  for (auto p = text.find(marker); p != std::string_view::npos;) {
    auto next = text.find(marker, p + marker.size());
    blocks.emplace_back(p, (next == std::string_view::npos ? text.size() : next) - p);
    p = next;
  }

  struct Pending {
    bandit::Issue issue;
    int first_shown = 0;
    int shown = 0;
  };
  std::vector<Pending> pending;
  pending.reserve(blocks.size());
  std::map<int, int> shown_counts;
  for (auto [off, len] : blocks) {
    std::string_view block = text.substr(off, len);
    // Candidate issues of baseline mode are alternatives of this one, not issues.
    if (auto c = block.find("<div class=\"candidates\">"); c != std::string_view::npos) block = block.substr(0, c);
    Pending pi;
    bandit::Issue& i = pi.issue;
    auto sev_div = block.find("issue-block");
    auto name_open = block.find("<b>", sev_div == std::string_view::npos ? 0 : sev_div);
    auto name_close = block.find(": </b>", name_open);
    if (name_open == std::string_view::npos || name_close == std::string_view::npos) {
      return std::unexpected(in.error_at(off, "bandit HTML: an issue block without \"<b>test_name: </b>\""));
    }
    i.test_name = bandit::html_unescape(block.substr(name_open + 3, name_close - name_open - 3));
    i.text = field(block.substr(name_close), ": </b>", /*raw=*/true);
    i.test_id = field(block, "<b>Test ID:</b>");
    i.severity = field(block, "<b>Severity: </b>");
    i.confidence = field(block, "<b>Confidence: </b>");
    i.cwe = field(block, "<b>CWE: </b>");
    i.filename = field(block, "<b>File: </b>");
    i.more_info = field(block, "<b>More info: </b>");
    std::string line = field(block, "<b>Line number: </b>");
    i.line = bandit::to_int(line, 0);
    i.code = code_of(block);
    if (i.filename.empty())
      return std::unexpected(in.error_at(off, "bandit HTML: an issue block without \"<b>File: </b>\""));
    if (line.empty()) {
      std::tie(pi.first_shown, pi.shown) = shown_lines(i.code);
      if (pi.shown > 0) ++shown_counts[pi.shown];
    }
    pending.push_back(std::move(pi));
  }

  // Before 1.7 the page has no line number; only the excerpt, which bandit starts at
  // max(1, line - context / 2). The context size is the excerpt length most issues have (one
  // flagged line each); at the top of a file the line stays ambiguous and the first is taken.
  int context = 0, best = 0;
  for (auto [n, count] : shown_counts)
    if (count > best) best = count, context = n;
  for (auto& pi : pending) {
    if (pi.issue.line == 0 && pi.first_shown > 0)
      pi.issue.line = pi.first_shown == 1 ? 1 : pi.first_shown + context / 2;
    bandit::add_issue(step, std::move(pi.issue));
  }
  return bandit::finish(std::move(step), "bandit-html", std::move(out.warnings));
}

}  // namespace dg::ingest
