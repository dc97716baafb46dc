#include "src/lint/dockerfile.hpp"

#include <unordered_set>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "src/util/text.hpp"

namespace dg::lint {
namespace {

constexpr std::array<std::string_view, 18> kInstructions{
    "FROM", "RUN",  "CMD",        "LABEL",  "MAINTAINER", "EXPOSE", "ENV",         "ADD",         "COPY",
    "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
std::string_view ltrim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  return s;
}

// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` in an instruction line: returns the delimiters.
std::vector<std::pair<std::string, bool>> heredoc_markers(std::string_view args) {
  std::vector<std::pair<std::string, bool>> out;
  for (std::size_t i = 0; i + 2 < args.size(); ++i) {
    if (args[i] != '<' || args[i + 1] != '<') continue;
    if (i > 0 && args[i - 1] == '<') continue;
    std::size_t j = i + 2;
    bool strip = false;
    if (j < args.size() && args[j] == '-') {
      strip = true;
      ++j;
    }
    char quote = 0;
    if (j < args.size() && (args[j] == '"' || args[j] == '\'')) quote = args[j++];
    std::size_t start = j;
    while (j < args.size() && (std::isalnum(static_cast<unsigned char>(args[j])) || args[j] == '_')) ++j;
    if (j == start) continue;
    if (quote && (j >= args.size() || args[j] != quote)) continue;
    out.emplace_back(std::string(args.substr(start, j - start)), strip);
    i = j;
  }
  return out;
}

}  // namespace

bool is_known_instruction(std::string_view u) {
  return std::find(kInstructions.begin(), kInstructions.end(), u) != kInstructions.end();
}

std::string Instruction::flag(std::string_view name) const {
  std::string prefix = "--" + std::string(name) + "=";
  for (auto& f : flags)
    if (f.starts_with(prefix)) return f.substr(prefix.size());
  for (auto& f : flags)
    if (f == "--" + std::string(name)) return "true";
  return {};
}

std::string expand_vars(std::string_view s, const std::map<std::string, std::string>& vars, char escape) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == escape && i + 1 < s.size() && s[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (c != '$' || i + 1 >= s.size()) {
      out += c;
      continue;
    }
    auto lookup = [&](const std::string& name) -> const std::string* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : &it->second;
    };
    if (s[i + 1] == '{') {
      auto close = s.find('}', i + 2);
      if (close == std::string_view::npos) {
        out += s.substr(i);
        break;
      }
      std::string_view body = s.substr(i + 2, close - i - 2);
      auto colon = body.find(':');
      std::string name(body.substr(0, colon));
      const std::string* v = lookup(name);
      if (colon != std::string_view::npos && colon + 1 < body.size()) {
        char op = body[colon + 1];
        std::string word(body.substr(colon + 2));
        if (op == '-') out += (v && !v->empty()) ? *v : word;
        else if (op == '+') out += (v && !v->empty()) ? word : "";
        else if (v) out += *v;
      } else if (v) {
        out += *v;
      }
      i = close;
    } else {
      std::size_t j = i + 1;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      if (j == i + 1) {
        out += c;
        continue;
      }
      if (auto* v = lookup(std::string(s.substr(i + 1, j - i - 1)))) out += *v;
      i = j - 1;
    }
  }
  return out;
}

Dockerfile parse_dockerfile(std::string_view text) {
  Dockerfile df;
  std::unordered_set<std::string> aliases;  // of the stages so far (a scan per FROM was quadratic)
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos <= text.size();) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      if (pos < text.size()) lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }

  std::size_t i = 0;
  // Parser directives: only at the very top, before any other comment, blank line or instruction.
  for (; i < lines.size(); ++i) {
    std::string_view l = ltrim(rtrim(lines[i]));
    if (!l.starts_with('#')) break;
    std::string_view body = ltrim(l.substr(1));
    auto eq = body.find('=');
    if (eq == std::string_view::npos) break;
    std::string key = util::to_lower(util::trim(body.substr(0, eq)));
    if (key.empty() || key.find(' ') != std::string::npos) break;
    std::string value = util::trim(body.substr(eq + 1));
    if (key == "escape" && (value == "`" || value == "\\")) df.escape = value[0];
    else if (key != "syntax" && key != "check") break;
  }

  std::map<std::string, std::string> global_vars;
  std::vector<std::string> pending_ignores;
  Stage* stage = nullptr;
  for (; i < lines.size(); ++i) {
    std::string_view raw = rtrim(lines[i]);
    std::string_view l = ltrim(raw);
    if (l.empty()) continue;
    if (l.starts_with('#')) {
      std::string_view c = ltrim(l.substr(1));
      for (auto [marker, file_wide] : {std::pair{std::string_view("dockgate-ignore-file"), true},
                                       std::pair{std::string_view("dockgate-ignore"), false}}) {
        if (!c.starts_with(marker)) continue;
        auto ids = util::split(util::normalize_space(c.substr(marker.size())), ' ');
        for (auto& id : ids) {
          std::string clean = util::trim(id);
          while (!clean.empty() && (clean.back() == ',')) clean.pop_back();
          if (clean.empty()) continue;
          (file_wide ? df.file_ignores : pending_ignores).push_back(clean);
        }
        break;
      }
      continue;
    }
    Instruction ins;
    ins.line = static_cast<int>(i) + 1;
    ins.ignores = std::move(pending_ignores);
    pending_ignores.clear();
    // Join continuation lines; comment lines and blank lines inside a continuation are dropped.
    std::string joined;
    std::size_t j = i;
    for (;;) {
      std::string_view cur = rtrim(lines[j]);
      bool cont = !cur.empty() && cur.back() == df.escape;
      if (cont) cur.remove_suffix(1);
      joined += cur;
      if (!cont) break;
      joined += ' ';
      ++j;
      while (j < lines.size()) {
        std::string_view n = ltrim(rtrim(lines[j]));
        if (n.starts_with('#') || n.empty()) {
          ++j;
          continue;
        }
        break;
      }
      if (j >= lines.size()) {
        --j;
        break;
      }
    }
    std::string_view body = ltrim(joined);
    std::size_t kw_end = 0;
    while (kw_end < body.size() && !is_space(body[kw_end])) ++kw_end;
    ins.keyword = upper(body.substr(0, kw_end));
    std::string_view rest = ltrim(body.substr(kw_end));
    // Flags: leading --name[=value] tokens (not for RUN's heredoc/command, which starts otherwise).
    while (rest.starts_with("--")) {
      std::size_t e = 0;
      while (e < rest.size() && !is_space(rest[e])) ++e;
      ins.flags.emplace_back(rest.substr(0, e));
      rest = ltrim(rest.substr(e));
    }
    ins.args = std::string(rtrim(rest));
    // Heredocs: the lines after the instruction up to each delimiter.
    for (auto& [delim, strip] : heredoc_markers(ins.args)) {
      Heredoc h;
      h.delimiter = delim;
      while (j + 1 < lines.size()) {
        ++j;
        std::string_view hl = rtrim(lines[j]);
        std::string_view cmp = hl;
        if (strip)
          while (!cmp.empty() && cmp.front() == '\t') cmp.remove_prefix(1);
        if (cmp == delim) break;
        h.body += std::string(strip ? cmp : hl);
        h.body += '\n';
      }
      ins.heredocs.push_back(std::move(h));
    }
    ins.end_line = static_cast<int>(j) + 1;
    i = j;
    if (!ins.args.empty() && ins.args.front() == '[') {
      auto parsed = nlohmann::json::parse(ins.args, nullptr, false);
      if (parsed.is_array() && std::all_of(parsed.begin(), parsed.end(), [](auto& e) { return e.is_string(); })) {
        ins.json_form = true;
        for (auto& e : parsed) ins.json_args.push_back(e.template get<std::string>());
      }
    }
    if (!is_known_instruction(ins.keyword)) {
      df.problems.push_back({ins.line, "unknown instruction \"" + util::truncate_utf8(util::to_valid_utf8(ins.keyword), 40) + "\""});
      continue;
    }
    df.all.push_back(ins);
    if (ins.keyword == "FROM") {
      Stage s;
      s.line = ins.line;
      s.platform = ins.flag("platform");
      auto words = util::split(util::normalize_space(ins.args), ' ');
      if (!words.empty()) s.image = words[0];
      if (words.size() >= 3 && util::iequals(words[1], "as")) s.alias = util::to_lower(words[2]);
      s.resolved = expand_vars(s.image, global_vars, df.escape);
      std::string lower = util::to_lower(s.resolved);
      if (aliases.count(lower)) s.from_stage = true;
      // A stage index; from_chars, not stoul: an all-digit name too long for a number is an image
      // name to the rule, never an exception that ends the process.
      std::size_t index = 0;
      auto [end, ec] = std::from_chars(lower.data(), lower.data() + lower.size(), index);
      if (!s.from_stage && !lower.empty() && ec == std::errc() && end == lower.data() + lower.size() &&
          index < df.stages.size())
        s.from_stage = true;
      if (!s.alias.empty()) aliases.insert(s.alias);
      df.stages.push_back(std::move(s));
      stage = &df.stages.back();
      continue;
    }
    if (!stage) {
      if (ins.keyword == "ARG") {
        std::string a = util::trim(ins.args);
        auto eq = a.find('=');
        std::string name = a.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : a.substr(eq + 1);
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
          value = value.substr(1, value.size() - 2);
        global_vars[name] = expand_vars(value, global_vars, df.escape);
        df.global_args.push_back(ins);
      } else {
        df.problems.push_back({ins.line, ins.keyword + " before the first FROM"});
      }
      continue;
    }
    stage->instructions.push_back(std::move(ins));
  }
  return df;
}

}  // namespace dg::lint
