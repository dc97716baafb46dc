// Fixes as data: a rule that knows the edit gives the instruction's lines as they should read, so a
// review comment can offer them as a one-click suggestion. Edits are word insertions and keyword
// swaps on the lines as written (continuations, comments and spacing kept), never a re-rendering.
#include <algorithm>

#include "src/lint/rules.hpp"
#include "src/util/text.hpp"

namespace dg::lint {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

struct Word {
  std::size_t begin, end;
};

std::vector<Word> words(std::string_view s) {
  std::vector<Word> out;
  for (std::size_t i = 0; i < s.size();) {
    while (i < s.size() && space(s[i])) ++i;
    std::size_t b = i;
    while (i < s.size() && !space(s[i])) ++i;
    if (i > b) out.push_back({b, i});
  }
  return out;
}

bool separator(std::string_view w) { return w == "&&" || w == "||" || w == ";" || w == "|" || w == "&"; }

std::string_view base_name(std::string_view w) {
  auto slash = w.rfind('/');
  return slash == std::string_view::npos ? w : w.substr(slash + 1);
}

}  // namespace

std::string source_lines(const LintContext& ctx, const Instruction& ins) {
  auto& starts = ctx.line_starts;
  if (starts.empty()) {
    starts.push_back(0);
    for (std::size_t i = 0; i < ctx.text.size(); ++i)
      if (ctx.text[i] == '\n') starts.push_back(i + 1);
  }
  const int last = std::max(ins.line, ins.end_line);
  if (ins.line < 1 || static_cast<std::size_t>(last) > starts.size()) return {};
  std::size_t b = starts[ins.line - 1];
  std::size_t e = static_cast<std::size_t>(last) < starts.size() ? starts[last] : ctx.text.size();
  std::string out(ctx.text.substr(b, e - b));
  if (ins.line == 1 && out.starts_with("\xEF\xBB\xBF")) out.erase(0, 3);
  std::erase(out, '\r');
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::string fix_add_option(const LintContext& ctx, const Instruction& ins,
                           std::initializer_list<std::string_view> programs, std::string_view subcommand,
                           std::string_view option) {
  std::string src = source_lines(ctx, ins);
  auto ws = words(src);
  std::vector<std::size_t> insert_at;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    std::string_view w(src.data() + ws[i].begin, ws[i].end - ws[i].begin);
    if (w != subcommand) continue;
    // Back over options and line continuations to the program.
    std::size_t j = i;
    bool found = false;
    while (j-- > 0) {
      std::string_view p(src.data() + ws[j].begin, ws[j].end - ws[j].begin);
      if (p.starts_with("-") || p == "\\") continue;
      found = std::find(programs.begin(), programs.end(), base_name(p)) != programs.end();
      break;
    }
    if (!found) continue;
    // The option may already be there, later in the same command.
    bool has = false;
    for (std::size_t k = i + 1; k < ws.size(); ++k) {
      std::string_view n(src.data() + ws[k].begin, ws[k].end - ws[k].begin);
      if (separator(n)) break;
      if (n == option) has = true;
      if (n.ends_with(";")) break;
    }
    if (!has) insert_at.push_back(ws[i].end);
  }
  if (insert_at.empty()) return {};
  for (auto it = insert_at.rbegin(); it != insert_at.rend(); ++it) src.insert(*it, " " + std::string(option));
  return src;
}

std::string fix_add_to_copy(const LintContext& ctx, const Instruction& ins) {
  // Flags only ADD has: COPY would refuse them.
  for (auto& f : ins.flags)
    for (std::string_view only : {"--checksum", "--keep-git-dir", "--unpack"})
      if (std::string_view(f).starts_with(only)) return {};
  std::string src = source_lines(ctx, ins);
  std::size_t at = 0;
  while (at < src.size() && (src[at] == ' ' || src[at] == '\t')) ++at;
  if (!util::iequals(std::string_view(src).substr(at, 3), "ADD")) return {};
  src.replace(at, 3, src[at] == 'a' ? "copy" : "COPY");
  return src;
}

}  // namespace dg::lint
