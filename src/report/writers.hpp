#pragma once
// Every output format, one file each under src/report/. Writers are pure: model in, text out.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/run.hpp"

namespace dg::report {

std::string write_junit(const model::Run& run);          // junit.cpp

// What the SARIF writer cannot know from the run alone (src/app fills it, see source_root.hpp).
struct SarifOptions {
  // The analysis category: each run's automationDetails.id is "<category>/<tool>/". The upload
  // action uses its own `category` input only when automationDetails is absent, so two images
  // gated in one workflow need two categories here. Empty: the job name, else "dockgate".
  std::string category;
  std::string dockerfile;        // where image findings are shown; empty = dockerfile_path(run)
  int dockerfile_from_line = 1;  // the final stage's FROM line of `dockerfile`
  // Root-relative path -> file text, for primaryLocationLineHash; unset or nullopt = no hash.
  std::function<std::optional<std::string>(const std::string&)> read_source;
  // GitHub's limits (docs: "SARIF results exceed one or more limits", "Uploading a SARIF file":
  // 25,000 results per run, 20 runs per file, 10 MB gzipped). Tests lower them.
  std::size_t max_results_per_run = 25000;
  std::size_t max_runs = 20;
  std::size_t max_gzip_bytes = 10'000'000;
  std::vector<std::string>* warnings = nullptr;  // what was left out to fit, one line each
};
std::string write_sarif(const model::Run& run, const SarifOptions& opt = {});  // sarif.cpp
// Where a writer that streams puts its text: consecutive pieces, in order; restart() drops all
// of them (the SARIF writer writes its log again when results must be cut to fit).
class TextSink {
 public:
  virtual ~TextSink() = default;
  virtual void put(std::string_view piece) = 0;
  virtual void restart() = 0;
};
// How much text a streaming writer gathers before handing it on: a piece of about 1 MiB.
inline constexpr std::size_t kSinkPiece = std::size_t{1} << 20;
// Hands `out` to the sink, and empties it, once it holds a piece.
inline void spill(std::string& out, TextSink& sink) {
  if (out.size() < kSinkPiece) return;
  sink.put(out);
  out.clear();
}
// The string form of a streamed output: the pieces end to end.
struct StringSink : TextSink {
  std::string text;
  void put(std::string_view piece) override { text += piece; }
  void restart() override { text.clear(); }
};
// The same log in pieces of about 1 MiB: a large log is never one string (the string form
// above collects the pieces).
void write_sarif(const model::Run& run, const SarifOptions& opt, TextSink& out);
// JUnit and Code Quality the same way (they never restart).
void write_junit(const model::Run& run, TextSink& out);
void write_codequality(const model::Run& run, TextSink& out);
std::string write_codequality(const model::Run& run);    // codequality.cpp (GitLab Code Quality)

struct MarkdownOptions {
  std::size_t max_chars = 65536;  // GitHub comment limit; GitLab: 1,000,000
  std::string marker_key = "default";  // the sticky-comment marker: <!-- dockgate:KEY -->
  bool with_marker = true;
};
std::string write_markdown(const model::Run& run, const MarkdownOptions& opt);  // markdown.cpp

// GitHub workflow commands (::error file=…,line=…,title=…::msg), worst first, capped at
// GitHub's 10 errors + 10 warnings per step shown.
std::string write_annotations(const model::Run& run);  // annotations.cpp

struct ConsoleOptions {
  bool color = false;
  std::size_t top = 5;  // top findings per step
};
std::string write_console(const model::Run& run, const ConsoleOptions& opt);  // console.cpp

}  // namespace dg::report
