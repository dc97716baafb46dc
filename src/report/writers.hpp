#pragma once
// Every output format, one file each under src/report/. Writers are pure: model in, text out.
#include <cstddef>
#include <string>

#include "src/model/run.hpp"

namespace dg::report {

std::string write_junit(const model::Run& run);          // junit.cpp
std::string write_sarif(const model::Run& run);          // sarif.cpp
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
