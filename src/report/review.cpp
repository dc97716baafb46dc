// Inline review planning. The diff is parsed once into sorted line lists, so a run with thousands
// of findings asks a binary search per finding, never a scan of the diff.
#include "src/report/review.hpp"

#include <algorithm>
#include <charconv>

#include "src/report/escape.hpp"
#include "src/report/finding_view.hpp"
#include "src/util/text.hpp"

namespace dg::report {

namespace {
constexpr std::size_t kMaxSuggestion = 32 * 1024;
}  // namespace

std::optional<FilterMode> parse_filter_mode(std::string_view s) {
  if (s == "added") return FilterMode::Added;
  if (s == "diff_context") return FilterMode::DiffContext;
  if (s == "file") return FilterMode::File;
  if (s == "nofilter") return FilterMode::NoFilter;
  return std::nullopt;
}

std::string_view to_string(FilterMode m) {
  switch (m) {
    case FilterMode::Added: return "added";
    case FilterMode::DiffContext: return "diff_context";
    case FilterMode::File: return "file";
    case FilterMode::NoFilter: return "nofilter";
  }
  return "added";
}

const FileDiff* Diff::file(const std::string& repo_path) const {
  auto it = files.find(repo_path);
  return it == files.end() ? nullptr : &it->second;
}

bool Diff::is_added(const std::string& repo_path, int line) const {
  auto* f = file(repo_path);
  return f && std::binary_search(f->added.begin(), f->added.end(), line);
}

const std::pair<int, int>* Diff::hunk_of(const std::string& repo_path, int line) const {
  auto* f = file(repo_path);
  if (!f) return nullptr;
  // Hunks come in file order and do not overlap: the last one starting at or before `line`.
  auto it = std::upper_bound(f->hunks.begin(), f->hunks.end(), line,
                             [](int l, const std::pair<int, int>& h) { return l < h.first; });
  if (it == f->hunks.begin()) return nullptr;
  --it;
  return line <= it->second ? &*it : nullptr;
}

namespace {

// git quotes names with special characters: "b/caf\303\251 x.py" (C escapes, octal bytes).
std::string unquote_path(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c != '\\' || i + 2 >= s.size()) {
      out += c;
      continue;
    }
    char n = s[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'r': out += '\r'; break;
      case 'v': out += '\v'; break;
      default:
        if (n >= '0' && n <= '7' && i + 2 < s.size()) {
          int v = (n - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0');
          out += static_cast<char>(v);
          i += 2;
        } else {
          out += n;
        }
    }
  }
  return out;
}

// "+++ b/path" (a tab may follow the name when it has spaces) or "+++ /dev/null".
std::string new_path(std::string_view rest) {
  if (auto tab = rest.find('\t'); tab != std::string_view::npos) rest = rest.substr(0, tab);
  std::string p = unquote_path(rest);
  if (p == "/dev/null") return {};
  if (p.starts_with("b/")) p.erase(0, 2);
  return p;
}

bool parse_int(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && out >= 0;
}

// "-12,3" / "+14" -> start and count (count 1 when omitted).
bool parse_range(std::string_view s, int& start, int& count) {
  if (s.empty()) return false;
  s.remove_prefix(1);
  auto comma = s.find(',');
  count = 1;
  if (!parse_int(s.substr(0, comma), start)) return false;
  return comma == std::string_view::npos || parse_int(s.substr(comma + 1), count);
}

}  // namespace

util::Expected<Diff> parse_git_diff(std::string_view text) {
  Diff d;
  FileDiff* cur = nullptr;
  int old_no = 0, new_no = 0, old_left = 0, new_left = 0;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (old_left > 0 || new_left > 0) {
      // Inside a hunk: the counts say where it ends, so a "+++" line of content is content.
      char c = line.empty() ? ' ' : line[0];
      if (c == '\\') continue;  // "\ No newline at end of file"
      if (c == '+') {
        if (cur) cur->added.push_back(new_no);
        ++new_no, --new_left;
      } else if (c == '-') {
        ++old_no, --old_left;
      } else {
        if (cur) cur->old_line[new_no] = old_no;
        ++new_no, ++old_no, --new_left, --old_left;
      }
      continue;
    }
    if (line.starts_with("diff --git ")) {
      cur = nullptr;
    } else if (line.starts_with("+++ ")) {
      auto p = new_path(line.substr(4));
      cur = p.empty() ? nullptr : &d.files[p];
    } else if (line.starts_with("@@ ")) {
      // @@ -old[,n] +new[,n] @@ optional section heading
      auto end = line.find(" @@", 3);
      auto parts = util::split(std::string(line.substr(3, end == std::string_view::npos ? 0 : end - 3)), ' ');
      int os = 0, oc = 0, ns = 0, nc = 0;
      if (end == std::string_view::npos || parts.size() != 2 || !parts[0].starts_with('-') ||
          !parts[1].starts_with('+') || !parse_range(parts[0], os, oc) || !parse_range(parts[1], ns, nc))
        return util::fail(util::ErrorKind::Input, "git diff line " + std::to_string(line_no) +
                                                      ": malformed hunk header: " + one_line(line));
      old_no = os, new_no = ns, old_left = oc, new_left = nc;
      // A hunk that only deletes (+N,0) has no new line to anchor on.
      if (cur && nc > 0) cur->hunks.emplace_back(ns, ns + nc - 1);
    }
  }
  for (auto& [path, f] : d.files) {
    std::sort(f.added.begin(), f.added.end());
    std::sort(f.hunks.begin(), f.hunks.end());
  }
  return d;
}

namespace {

std::string repo_path(const Diff& d, const model::Location& loc) { return d.prefix + loc.path; }

bool placeable(const model::Location& loc) { return !loc.path.empty() && loc.line > 0 && !loc.outside_root; }

}  // namespace

bool passes_filter(const Diff& d, const model::Location& loc, FilterMode m) {
  if (!placeable(loc)) return false;
  auto p = repo_path(d, loc);
  // A finding over several lines (a multi-line RUN) counts when any of its lines does: the change
  // may touch only the third line of an instruction the finding starts on.
  const int last = std::max(loc.line, loc.end_line);
  switch (m) {
    case FilterMode::Added: {
      auto* f = d.file(p);
      if (!f) return false;
      auto it = std::lower_bound(f->added.begin(), f->added.end(), loc.line);
      return it != f->added.end() && *it <= last;
    }
    case FilterMode::DiffContext: return d.hunk_of(p, loc.line) != nullptr || d.hunk_of(p, last) != nullptr;
    case FilterMode::File: return d.file(p) != nullptr;
    case FilterMode::NoFilter: return true;
  }
  return false;
}

std::string review_marker(const std::string& fingerprint, const std::string& key) {
  return "<!-- dockgate-review: " + fingerprint + " key=" + key + " -->";
}

std::string marker_fingerprint(std::string_view body, const std::string& key) {
  constexpr std::string_view open = "<!-- dockgate-review: ";
  const std::string tail = " key=" + key + " -->";
  for (auto at = body.find(open); at != std::string_view::npos; at = body.find(open, at + 1)) {
    auto start = at + open.size();
    auto end = body.find(" -->", start);
    if (end == std::string_view::npos) break;
    auto inner = body.substr(start, end + 4 - start);  // "FP key=K -->"
    auto sp = inner.find(' ');
    if (sp == std::string_view::npos || inner.substr(sp) != tail) continue;
    return std::string(inner.substr(0, sp));
  }
  return {};
}

std::string review_comment_body(const model::Finding& f, const std::string& key, bool with_suggestion) {
  std::string out = "**" + std::string(model::to_string(f.severity)) + "** `" + one_line(f.rule_id) + "` " +
                    md_text(f.title.empty() ? f.rule_id : f.title) + " (" + md_text(f.tool) + ")\n";
  if (!f.message.empty() && f.message != f.title) out += "\n" + md_text(f.message, 1000) + "\n";
  // GitHub refuses a comment over 65,536 characters (the whole review with it): a fix that large
  // is left to the author.
  if (with_suggestion && !f.fix.empty() && f.fix.size() <= kMaxSuggestion) out += "\n" + md_code_block(f.fix, "suggestion");
  if (safe_url(f.help_uri)) out += "\n[" + md_text(f.rule_id) + "](" + f.help_uri + ")\n";
  out += "\n" + review_marker(f.fingerprint, key) + "\n";
  return out;
}

ReviewPlan plan_review(const model::Run& run, const Diff& d, FilterMode m, std::size_t cap,
                       const std::set<std::string>& existing, const std::string& key) {
  ReviewPlan plan;
  std::vector<const model::Finding*> all;
  for (auto& s : run.steps)
    for (auto& f : s.findings) {
      if (!f.fingerprint.empty()) plan.present.insert(f.fingerprint);
      all.push_back(&f);
    }
  // Worst first, so the cap keeps the comments that matter most.
  std::stable_sort(all.begin(), all.end(), [](auto* a, auto* b) { return worse(*a, *b); });
  std::set<std::string> planned;
  for (auto* f : all) {
    if (f->waiver || f->fingerprint.empty() || !placeable(f->location)) continue;
    if (!passes_filter(d, f->location, m)) {
      ++plan.outside_filter;
      continue;
    }
    if (existing.count(f->fingerprint)) {
      ++plan.already;
      continue;
    }
    auto path = repo_path(d, f->location);
    const int end = f->location.end_line;
    // Anchored where it starts, or where it ends when only its end is in the diff.
    auto* hunk = d.hunk_of(path, f->location.line);
    const bool from_end = !hunk && end > f->location.line && (hunk = d.hunk_of(path, end)) != nullptr;
    if (!hunk) {
      ++plan.not_in_diff;
      continue;
    }
    if (!planned.insert(f->fingerprint).second) continue;
    if (plan.comments.size() >= cap) {
      ++plan.capped;
      continue;
    }
    ReviewComment c;
    c.finding = f;
    c.path = path;
    c.line = f->location.line;
    if (from_end) {  // the part of the range inside the hunk
      c.line = end;
      if (hunk->first < end) c.start_line = hunk->first;
    } else if (end > c.line && end <= hunk->second) {  // the whole range in one hunk: one multi-line comment
      c.start_line = c.line;
      c.line = end;
    }
    c.added = d.is_added(path, c.line);
    c.fingerprint = f->fingerprint;
    // A suggestion replaces exactly the commented lines: only when the fix is for those lines.
    const int first = c.start_line ? c.start_line : c.line;
    const bool fits = f->location.line == first && (end <= f->location.line ? c.start_line == 0 : end == c.line);
    c.body = review_comment_body(*f, key, fits);
    plan.comments.push_back(std::move(c));
  }
  return plan;
}

}  // namespace dg::report
