// The review's diff from a real git repository: a base branch and a head commit on top.
#include "src/app/review_diff.hpp"
#include "tests/app/git_fixture.hpp"
#include "tests/support.hpp"

using namespace dg;

TEST_SUITE("app.review_diff") {
  TEST_CASE("the diff against the base branch names the lines the head commit adds") {
    if (!test::need_program("git")) return;
    test::GitRepo repo;
    repo.write("svc/app.py", "import os\n\n\ndef main():\n    pass\n");
    repo.write("README.md", "hello\n");
    repo.commit("base");
    repo.git({"checkout", "-q", "-b", "feature"});
    repo.write("svc/app.py", "import os\nimport subprocess\n\ndef main():\n    subprocess.call(x, shell=True)\n");
    repo.write("svc/Dockerfile", "FROM python:3.12-slim\nADD . /app\n");
    repo.commit("head");
    // main moves on after the branch: --merge-base keeps its changes out of the review
    repo.git({"checkout", "-q", "main"});
    repo.write("README.md", "hello\nworld\n");
    repo.commit("main moves on");
    repo.git({"checkout", "-q", "feature"});

    app::Env env{{"GITHUB_BASE_REF", "main"}};  // no origin/main here: falls back to main
    auto d = app::load_review_diff(repo.root(), "", env);
    REQUIRE_MESSAGE(d, d.error().to_string());
    CHECK(d->prefix == "");
    CHECK(d->files.count("README.md") == 0);
    REQUIRE(d->file("svc/app.py"));
    CHECK(d->file("svc/app.py")->added == std::vector<int>{2, 5});
    REQUIRE(d->file("svc/Dockerfile"));
    CHECK(d->file("svc/Dockerfile")->added == std::vector<int>{1, 2});

    // Run from the subdirectory as source root: model paths are relative to it.
    auto sub = app::load_review_diff((repo.dir / "svc").string(), "main", {});
    REQUIRE(sub);
    CHECK(sub->prefix == "svc/");
    model::Location loc;
    loc.path = "app.py";
    loc.line = 5;
    CHECK(report::passes_filter(*sub, loc, report::FilterMode::Added));
    loc.line = 4;
    CHECK_FALSE(report::passes_filter(*sub, loc, report::FilterMode::Added));
    CHECK(report::passes_filter(*sub, loc, report::FilterMode::DiffContext));
  }

  TEST_CASE("the review base comes from the flag or the CI variables in order") {
    CHECK(app::review_base_candidates("v1.2", {{"GITHUB_BASE_REF", "main"}}) == std::vector<std::string>{"v1.2"});
    CHECK(app::review_base_candidates("", {{"GITHUB_BASE_REF", "main"}}) ==
          std::vector<std::string>{"origin/main", "main"});
    CHECK(app::review_base_candidates("", {{"CI_MERGE_REQUEST_DIFF_BASE_SHA", "abc123"}}) ==
          std::vector<std::string>{"abc123"});
    CHECK(app::review_base_candidates("", {{"CHANGE_TARGET", "develop"}}) ==
          std::vector<std::string>{"origin/develop", "develop"});
    CHECK(app::review_base_candidates("", {}).empty());
  }

  TEST_CASE("a base the checkout does not have is an error that says how to fetch it") {
    if (!test::need_program("git")) return;
    test::GitRepo repo;
    repo.write("a.txt", "a\n");
    repo.commit("only");
    auto d = app::load_review_diff(repo.root(), "", {{"GITHUB_BASE_REF", "release"}});
    REQUIRE_FALSE(d);
    CHECK(d.error().message.find("origin/release is not in this checkout") != std::string::npos);
    CHECK(d.error().message.find("fetch-depth: 0") != std::string::npos);
    auto none = app::load_review_diff(repo.root(), "", {});
    REQUIRE_FALSE(none);
    CHECK(none.error().message.find("--review-base") != std::string::npos);
    auto dash = app::load_review_diff(repo.root(), "--output=stolen.txt", {});
    CHECK_FALSE(dash);
  }
}
