#include "src/app/cli_suggest.hpp"

#include <algorithm>
#include <map>

namespace dg::app {
namespace {

// Levenshtein with adjacent transpositions counted as one edit ("gaet" is one edit from "gate").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

// The closest candidate within a third of the word's length (at least 1, at most 3 edits).
std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = std::max<std::size_t>(1, std::min<std::size_t>(3, word.size() / 3));
  for (auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d <= best_d && (best.empty() || d < best_d)) {
      best = c;
      best_d = d;
    }
  }
  return best;
}

// Other tools' verbs for what a dockgate command does.
const std::map<std::string, std::string, std::less<>>& synonyms() {
  static const std::map<std::string, std::string, std::less<>> m{
      {"scan", "'run' (run the scanners and gate) or 'gate' (gate reports you already have)"},
      {"check", "'gate' (gate existing reports) or 'run' (run the scanners and gate)"},
      {"test", "'run' (run the scanners, the smoke test and the size check) or 'smoke'"},
      {"analyze", "'run' or 'gate'"},
      {"verify", "'gate' or 'run'"},
      {"report", "'gate' (writes --json, --junit, --sarif, --markdown) or 'publish'"},
      {"comment", "'publish'"},
      {"ingest", "'gate'"},
  };
  return m;
}

std::vector<std::string> flags_of(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app.get_options()) {
    for (auto& l : opt->get_lnames()) out.push_back("--" + l);
    for (auto& s : opt->get_snames()) out.push_back("-" + s);
  }
  return out;
}

bool has_flag(const CLI::App& app, std::string_view flag) {
  auto names = flags_of(app);
  return std::find(names.begin(), names.end(), flag) != names.end();
}

}  // namespace

std::string cli_suggestion(const CLI::App& app, const std::vector<std::string>& args) {
  auto subs = app.get_subcommands([](const CLI::App*) { return true; });
  const CLI::App* sub = nullptr;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.empty()) continue;
    if (a[0] == '-') {
      if (!sub) continue;  // a global flag such as --version
      std::string flag = a.substr(0, a.find('='));
      if (flag == "-" || flag == "--" || has_flag(*sub, flag) || has_flag(app, flag)) continue;
      if (flag.size() > 2 && flag[1] != '-') continue;  // -abc: short flags bundled, not a typo we can name
      if (auto best = closest(flag, flags_of(*sub)); !best.empty())
        return "did you mean '" + best + "'? (see 'dockgate " + sub->get_name() + " --help')";
      return "see 'dockgate " + sub->get_name() + " --help' for its options";
    }
    if (sub) continue;  // a positional argument of the command
    auto it = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* s) { return s->get_name() == a; });
    if (it != subs.end()) {
      sub = *it;
      continue;
    }
    if (auto syn = synonyms().find(a); syn != synonyms().end())
      return "'" + a + "' is not a dockgate command; did you mean " + syn->second + "?";
    std::vector<std::string> names;
    names.reserve(subs.size());
    for (auto* s : subs) names.push_back(s->get_name());
    if (auto best = closest(a, names); !best.empty()) return "'" + a + "' is not a dockgate command; did you mean '" + best + "'?";
    std::string all;
    for (auto& n : names) all += (all.empty() ? "" : ", ") + n;
    return "'" + a + "' is not a dockgate command (commands: " + all + ")";
  }
  return {};
}

}  // namespace dg::app
