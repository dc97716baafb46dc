#include "src/lint/shell.hpp"

#include <algorithm>

namespace dg::lint {

bool Command::has(std::string_view word) const { return std::find(words.begin(), words.end(), word) != words.end(); }

bool Command::has_prefix(std::string_view prefix) const {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return w.starts_with(prefix); });
}

std::vector<Command> split_commands(std::string_view s) {
  std::vector<Command> out;
  Command cur;
  std::string word;
  bool in_word = false;
  auto end_word = [&] {
    if (!in_word) return;
    bool assignment = cur.words.empty() && word.find('=') != std::string::npos && word.front() != '=' &&
                      word.find('=') < word.find_first_of("\"'/") ;
    if (assignment) cur.assignments.push_back(word);
    else cur.words.push_back(word);
    word.clear();
    in_word = false;
  };
  auto end_command = [&] {
    end_word();
    if (!cur.words.empty() || !cur.assignments.empty()) out.push_back(std::move(cur));
    cur = Command{};
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'' || c == '"') {
      in_word = true;
      auto close = s.find(c, i + 1);
      if (close == std::string_view::npos) close = s.size();
      word.append(s.substr(i + 1, close - i - 1));
      i = close;
    } else if (c == '\\' && i + 1 < s.size()) {
      if (s[i + 1] != '\n') {
        word += s[i + 1];
        in_word = true;
      }
      ++i;
    } else if (c == '#' && !in_word) {
      while (i < s.size() && s[i] != '\n') ++i;
      end_command();
    } else if (c == ';' || c == '\n' || c == '|' || c == '&' || c == '(' || c == ')' || c == '{' || c == '}') {
      if ((c == '{' || c == '}') && in_word) {
        word += c;
        continue;
      }
      end_command();
      if ((c == '|' || c == '&') && i + 1 < s.size() && s[i + 1] == c) ++i;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      end_word();
    } else {
      word += c;
      in_word = true;
    }
  }
  end_command();
  return out;
}

std::string program(const Command& c) {
  static const std::vector<std::string_view> wrappers{"sudo", "env", "exec", "nohup", "xargs", "time", "command"};
  for (auto& w : c.words) {
    if (std::find(wrappers.begin(), wrappers.end(), w) != wrappers.end()) continue;
    if (w.starts_with('-') || w.find('=') != std::string::npos) continue;
    auto slash = w.rfind('/');
    return slash == std::string::npos ? w : w.substr(slash + 1);
  }
  return {};
}

}  // namespace dg::lint
