// Inline review planning: the git diff parser, the four filter modes, the marker and the cap.
#include "src/report/review.hpp"
#include "tests/support.hpp"

using namespace dg;
using report::FilterMode;

namespace {

// What `git diff -U3 --merge-base main HEAD` prints for a change to app.py (lines 3-4 added and
// line 10 replaced), a new Dockerfile, a renamed file with one change and a deleted file.
constexpr const char* kDiff =
    "diff --git a/app.py b/app.py\n"
    "index 1111111..2222222 100644\n"
    "--- a/app.py\n"
    "+++ b/app.py\n"
    "@@ -1,4 +1,6 @@\n"
    " import os\n"
    " \n"
    "+import subprocess\n"
    "+subprocess.call(cmd, shell=True)\n"
    " def main():\n"
    "     pass\n"
    "@@ -7,5 +9,5 @@ def main():\n"
    " a = 1\n"
    " b = 2\n"
    "-password = 'x'\n"
    "+password = 'hunter2'\n"
    " c = 3\n"
    " d = 4\n"
    "diff --git a/Dockerfile b/Dockerfile\n"
    "new file mode 100644\n"
    "index 0000000..3333333\n"
    "--- /dev/null\n"
    "+++ b/Dockerfile\n"
    "@@ -0,0 +1,3 @@\n"
    "+FROM python:3.12-slim\n"
    "+ADD app.py /app/\n"
    "+++ not a header: content that starts with three plus signs\n"
    "diff --git a/old name.py b/new name.py\n"
    "similarity index 90%\n"
    "rename from old name.py\n"
    "rename to new name.py\n"
    "--- a/old name.py\t\n"
    "+++ b/new name.py\t\n"
    "@@ -2 +2 @@\n"
    "-x = 1\n"
    "+x = 2\n"
    "\\ No newline at end of file\n"
    "diff --git a/gone.py b/gone.py\n"
    "deleted file mode 100644\n"
    "--- a/gone.py\n"
    "+++ /dev/null\n"
    "@@ -1,2 +0,0 @@\n"
    "-a\n"
    "-b\n";

model::Finding finding(std::string rule, std::string path, int line, std::string fp, int end_line = 0) {
  model::Finding f;
  f.tool = "bandit";
  f.rule_id = std::move(rule);
  f.severity = model::Severity::High;
  f.title = "finding " + f.rule_id;
  f.location.path = std::move(path);
  f.location.line = line;
  f.location.end_line = end_line;
  f.fingerprint = std::move(fp);
  return f;
}

model::Location at(std::string path, int line) {
  model::Location l;
  l.path = std::move(path);
  l.line = line;
  return l;
}

}  // namespace

TEST_SUITE("report.review") {
  TEST_CASE("git diff output becomes added lines and hunk ranges per new path") {
    auto d = report::parse_git_diff(kDiff);
    REQUIRE(d);
    CHECK(d->files.size() == 3);  // the deleted file has no new side
    auto* app = d->file("app.py");
    REQUIRE(app);
    CHECK(app->added == std::vector<int>{3, 4, 11});
    CHECK(app->hunks == std::vector<std::pair<int, int>>{{1, 6}, {9, 13}});
    CHECK(app->old_line.at(5) == 3);   // "def main():" was line 3
    CHECK(app->old_line.at(12) == 10);  // "c = 3" after the replaced line
    auto* df = d->file("Dockerfile");
    REQUIRE(df);
    CHECK(df->added == std::vector<int>{1, 2, 3});  // a "+++" content line is content
    auto* renamed = d->file("new name.py");
    REQUIRE(renamed);
    CHECK(renamed->added == std::vector<int>{2});
    CHECK(d->file("gone.py") == nullptr);
  }

  TEST_CASE("a malformed hunk header is an input error naming the diff line") {
    auto d = report::parse_git_diff("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +one @@\n");
    REQUIRE_FALSE(d);
    CHECK(d.error().kind == util::ErrorKind::Input);
    CHECK(d.error().message.find("git diff line 4") != std::string::npos);
  }

  TEST_CASE("git quotes unusual file names and the parser unquotes them") {
    auto d = report::parse_git_diff("--- a/x\n+++ \"b/caf\\303\\251 \\\"q\\\".py\"\n@@ -0,0 +1 @@\n+x\n");
    REQUIRE(d);
    CHECK(d->file("caf\xC3\xA9 \"q\".py") != nullptr);
  }

  TEST_CASE("each filter mode picks its findings") {
    auto d = report::parse_git_diff(kDiff);
    REQUIRE(d);
    // line 3 is added; line 5 is context inside a hunk; line 8 is between hunks; other.py is untouched
    CHECK(report::passes_filter(*d, at("app.py", 3), FilterMode::Added));
    CHECK_FALSE(report::passes_filter(*d, at("app.py", 5), FilterMode::Added));
    CHECK(report::passes_filter(*d, at("app.py", 5), FilterMode::DiffContext));
    CHECK_FALSE(report::passes_filter(*d, at("app.py", 8), FilterMode::DiffContext));
    CHECK(report::passes_filter(*d, at("app.py", 8), FilterMode::File));
    CHECK_FALSE(report::passes_filter(*d, at("other.py", 8), FilterMode::File));
    CHECK(report::passes_filter(*d, at("other.py", 8), FilterMode::NoFilter));
    // no line, or a path outside the source root: never a review comment
    CHECK_FALSE(report::passes_filter(*d, at("app.py", 0), FilterMode::NoFilter));
    auto outside = at("/usr/lib/python3/x.py", 3);
    outside.outside_root = true;
    CHECK_FALSE(report::passes_filter(*d, outside, FilterMode::NoFilter));
    // the source root below the repository top: model paths get the prefix
    d->prefix = "svc/";
    CHECK_FALSE(report::passes_filter(*d, at("app.py", 3), FilterMode::Added));
    report::Diff sub;
    sub.prefix = "svc/";
    sub.files["svc/app.py"].added = {3};
    sub.files["svc/app.py"].hunks = {{1, 6}};
    CHECK(report::passes_filter(sub, at("app.py", 3), FilterMode::Added));
  }

  TEST_CASE("the marker carries the fingerprint and the comment key") {
    auto m = report::review_marker("ab12cd:2", "gate/scan");
    CHECK(m == "<!-- dockgate-review: ab12cd:2 key=gate/scan -->");
    CHECK(report::marker_fingerprint("text\n" + m + "\n", "gate/scan") == "ab12cd:2");
    CHECK(report::marker_fingerprint("text\n" + m + "\n", "other") == "");
    CHECK(report::marker_fingerprint("no marker", "gate/scan") == "");
  }

  TEST_CASE("plan_review posts only new findings in the filter and caps them worst first") {
    auto d = report::parse_git_diff(kDiff);
    REQUIRE(d);
    model::Run run;
    run.steps.emplace_back();
    auto& fs = run.steps.back().findings;
    fs.push_back(finding("B602", "app.py", 4, "fp-shell"));
    fs.push_back(finding("B105", "app.py", 11, "fp-password"));
    fs.back().severity = model::Severity::Low;
    fs.push_back(finding("B101", "app.py", 5, "fp-context"));     // context line: not in `added`
    fs.push_back(finding("B404", "app.py", 3, "fp-old"));         // commented on by an earlier run
    fs.push_back(finding("B999", "app.py", 3, "fp-waived"));
    fs.back().waiver = model::Waiver{};
    auto plan = report::plan_review(run, *d, FilterMode::Added, 50, {"fp-old"}, "k");
    REQUIRE(plan.comments.size() == 2);
    CHECK(plan.comments[0].fingerprint == "fp-shell");  // high before low
    CHECK(plan.comments[0].path == "app.py");
    CHECK(plan.comments[0].line == 4);
    CHECK(plan.comments[0].start_line == 0);
    CHECK(plan.comments[0].body.find("<!-- dockgate-review: fp-shell key=k -->") != std::string::npos);
    CHECK(plan.already == 1);
    CHECK(plan.outside_filter == 1);
    CHECK(plan.present.count("fp-waived"));

    auto capped = report::plan_review(run, *d, FilterMode::Added, 1, {"fp-old"}, "k");
    CHECK(capped.comments.size() == 1);
    CHECK(capped.capped == 1);

    // file mode: the context-line finding passes and sits in a hunk, so a forge takes it
    auto file = report::plan_review(run, *d, FilterMode::File, 50, {"fp-old"}, "k");
    CHECK(file.comments.size() == 3);
  }

  TEST_CASE("a fix over the finding's lines becomes a suggestion block on a multi-line comment") {
    auto d = report::parse_git_diff(kDiff);
    REQUIRE(d);
    model::Run run;
    run.steps.emplace_back();
    auto f = finding("DG130", "Dockerfile", 2, "fp-add", 3);
    f.tool = "dockgate-lint";
    f.fix = "COPY app.py /app/\n+++ not a header: content that starts with three plus signs\n";
    run.steps.back().findings.push_back(f);
    auto plan = report::plan_review(run, *d, FilterMode::Added, 50, {}, "k");
    REQUIRE(plan.comments.size() == 1);
    CHECK(plan.comments[0].start_line == 2);
    CHECK(plan.comments[0].line == 3);
    CHECK(plan.comments[0].body.find("```suggestion\nCOPY app.py /app/\n+++ not a header") != std::string::npos);
  }

  TEST_CASE("a finding over several lines counts when any of its lines is in the filter") {
    auto d = report::parse_git_diff(kDiff);
    REQUIRE(d);
    model::Location run_9_to_11 = at("app.py", 9);  // starts on a context line; line 11 is added
    run_9_to_11.end_line = 11;
    CHECK(report::passes_filter(*d, run_9_to_11, FilterMode::Added));
    model::Location run_7_to_10 = at("app.py", 7);  // starts between the hunks, ends inside the second
    run_7_to_10.end_line = 10;
    CHECK_FALSE(report::passes_filter(*d, run_7_to_10, FilterMode::Added));
    CHECK(report::passes_filter(*d, run_7_to_10, FilterMode::DiffContext));

    model::Run run;
    run.steps.emplace_back();
    auto whole = finding("DG121", "app.py", 9, "fp-whole", 11);
    whole.fix = "a\nb\nc\n";
    auto tail = finding("DG130", "app.py", 7, "fp-tail", 10);
    tail.fix = "w\nx\ny\nz\n";
    run.steps.back().findings = {whole, tail};
    auto plan = report::plan_review(run, *d, FilterMode::DiffContext, 50, {}, "k");
    REQUIRE(plan.comments.size() == 2);
    for (auto& c : plan.comments) {
      if (c.fingerprint == "fp-whole") {
        CHECK(c.start_line == 9);
        CHECK(c.line == 11);
        CHECK(c.body.find("```suggestion\na\nb\nc\n```") != std::string::npos);
      } else {
        // only lines 9-10 are in the diff: the comment covers them, and a suggestion for 7-10 would
        // replace the wrong lines, so there is none
        CHECK(c.start_line == 9);
        CHECK(c.line == 10);
        CHECK(c.body.find("```suggestion") == std::string::npos);
      }
    }
  }

  TEST_CASE("a fix too large for a forge comment is left out of the body") {
    auto f = finding("DG121", "Dockerfile", 3, "fp-big", 900);
    f.fix = std::string(40 * 1024, 'x') + "\n";
    auto body = report::review_comment_body(f, "k", true);
    CHECK(body.find("```suggestion") == std::string::npos);
    CHECK(body.size() < 4096);
    f.fix = "RUN true\n";
    CHECK(report::review_comment_body(f, "k", true).find("```suggestion\nRUN true\n```") != std::string::npos);
  }
}
