// Issue 12 (docs vs behaviour): the comment shown in docs/reports.md and the README is what
// dockgate writes, i.e. the reviewed golden the markdown writer is tested against. A hand-edited
// example drifted (a DG-SIZE-BUDGET/high rule that the size step never reported).
#include <regex>

#include "tests/support.hpp"

using namespace dg;

namespace {
// The body of the first fence opened by `fence` + "markdown" in `text`.
std::string fenced_markdown(const std::string& text, const std::string& fence) {
  auto open = text.find("\n" + fence + "markdown\n");
  REQUIRE(open != std::string::npos);
  auto start = open + fence.size() + std::string("markdown").size() + 2;
  auto close = text.find("\n" + fence + "\n", start);
  REQUIRE(close != std::string::npos);
  return text.substr(start, close - start + 1);
}
}  // namespace

TEST_CASE("repository: the comment examples in docs/reports.md and README are the golden comment") {
  auto golden = test::read(test::data("report/mixed.comment.md"));
  auto docs = fenced_markdown(test::read(test::source_dir() / "docs/reports.md"), "`````");
  CHECK_MESSAGE(docs == golden, "docs/reports.md's example differs from tests/data/report/mixed.comment.md");
  // The README shows the beginning, then an ellipsis line.
  auto readme = fenced_markdown(test::read(test::source_dir() / "README.md"), "````");
  REQUIRE(readme.ends_with("\n\xE2\x80\xA6\n"));
  auto head = readme.substr(0, readme.size() - 4);
  CHECK(head.size() > 500);
  CHECK_MESSAGE(golden.starts_with(head), "README's comment excerpt differs from tests/data/report/mixed.comment.md");
}

// dockgate's own rules are DG1xx (lint) and smoke/…, size/… (steps); an older naming
// (DG-SIZE-BUDGET, DG-SMOKE-HTTP) lingered in the docs for ids no output carries.
TEST_CASE("repository: the docs name no rule id of the old DG-WORD-WORD form") {
  std::regex old_id(R"(DG-[A-Z]+-[A-Z]+)");
  std::vector<test::fs::path> files{test::source_dir() / "README.md"};
  for (auto& e : test::fs::directory_iterator(test::source_dir() / "docs"))
    if (e.path().extension() == ".md") files.push_back(e.path());
  for (auto& f : files) {
    auto text = test::read(f);
    std::smatch m;
    CHECK_MESSAGE(!std::regex_search(text, m, old_id), f.string(), ": ", m.str());
  }
}
