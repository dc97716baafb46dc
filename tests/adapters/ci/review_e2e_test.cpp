// Inline review end to end: a real git repository (base branch and PR commits), dockgate gate
// and publish --review as processes, and the fake GitHub/GitLab API (tests/data/ci/fake_api.py) on 127.0.0.1
// checking every request's shape. Three consecutive runs introduce, keep and fix findings: the
// third resolves what the first opened and the second posts nothing new.
#include <algorithm>
#include <filesystem>

#include "tests/adapters/ci/fake_api_server.hpp"
#include "tests/app/git_fixture.hpp"
#include "tests/support.hpp"

using namespace dg;
using nlohmann::json;

namespace {

constexpr const char* kToken = "ghp_REVIEW_DO_NOT_LEAK_51c0";
constexpr const char* kReadOnly = "ghs_REVIEW_READONLY_DO_NOT_LEAK_77aa";

std::map<std::string, std::string> github_env(const test::FakeApi& api, const test::GitRepo& repo,
                                              const std::string& token,
                                              const std::string& event = "github-event-pull_request.json") {
  auto env = test::ci_github_env(api.url(), token, event);
  env["GITHUB_BASE_REF"] = "main";
  env["GITHUB_WORKSPACE"] = repo.root();
  return env;
}

std::map<std::string, std::string> gitlab_env(const test::FakeApi& api, const test::GitRepo& repo,
                                              const std::string& base_sha) {
  auto env = test::ci_gitlab_env(api.url(), kToken);
  env["CI_PROJECT_DIR"] = repo.root();
  env["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = base_sha;
  env["CI_COMMIT_SHA"] = "3333333333333333333333333333333333333333";
  return env;
}

struct Issue {
  std::string id, severity, text, filename, code;
  int line = 0;
};

// A bandit JSON report as bandit 1.7 writes it (tests/data/corpus/bandit/*.json have the shape).
std::string bandit_report(const std::vector<Issue>& issues) {
  json results = json::array();
  for (auto& i : issues)
    results.push_back({{"code", std::to_string(i.line) + " " + i.code + "\n"},
                       {"filename", i.filename},
                       {"issue_confidence", "HIGH"},
                       {"issue_severity", i.severity},
                       {"issue_text", i.text},
                       {"line_number", i.line},
                       {"line_range", {i.line}},
                       {"more_info", "https://bandit.readthedocs.io/en/1.7.5/plugins/" + i.id + ".html"},
                       {"test_id", i.id},
                       {"test_name", i.id == "B105" ? "hardcoded_password_string" : "subprocess_popen_with_shell_equals_true"}});
  return json{{"errors", json::array()}, {"generated_at", "2026-01-01T00:00:00Z"},
              {"metrics", json::object()}, {"results", results}}
      .dump(1);
}

const Issue kShell{"B602", "HIGH", "subprocess call with shell=True identified, security issue.", "./app.py",
                   "    subprocess.call(os.environ[\"CMD\"], shell=True)", 6};
const Issue kPassword{"B105", "LOW", "Possible hardcoded password: 'hunter2'", "./app.py", "    password = \"hunter2\"", 7};
const Issue kOld{"B602", "HIGH", "subprocess call with shell=True identified, security issue.", "./tools.py",
                 "    subprocess.call(args, shell=True)", 2};  // on a line the PR does not touch

// base: main; feature: the PR. Returns the base commit.
std::string make_repo(test::GitRepo& repo) {
  repo.write("app.py", "import os\n\n\n\ndef main():\n    return os.getcwd()\n");
  repo.write("tools.py", "def run(args):\n    subprocess.call(args, shell=True)\n");
  auto base = repo.commit("base");
  repo.git({"checkout", "-q", "-b", "feature"});
  return base;
}

// gate writes the result JSON; publish --review posts it, as a pipeline's publish step does.
test::ProcResult review(const test::GitRepo& repo, const std::string& report, const std::vector<std::string>& extra,
                        const std::map<std::string, std::string>& env) {
  const std::string result = report + ".result.json";
  auto g = test::run_process({test::dockgate_binary(), "gate", report, "--json", result, "--fail-on", "none", "-q"},
                             env, {}, 120, repo.dir.path);
  REQUIRE_MESSAGE(g.code == 0, g.err);
  std::vector<std::string> argv{test::dockgate_binary(), "publish", result, "--review"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return test::run_process(argv, env, {}, 120, repo.dir.path);
}

using test::check_no_violation;
using test::joined;

// The requests from index `from` on, one line each: method, path, what the body said.
std::vector<std::string> describe(const std::vector<json>& reqs, std::size_t from) {
  std::vector<std::string> out;
  for (std::size_t i = from; i < reqs.size(); ++i) {
    auto& r = reqs[i];
    std::string s = r.value("method", "") + " " + r.value("path", "");
    if (!r.value("query", "").empty() && r.value("method", "") == "PUT") s += "?" + r.value("query", "");
    if (r.contains("page")) s += " page=" + std::to_string(r["page"].get<int>());
    if (r.contains("graphql")) s += " " + r["graphql"].get<std::string>();
    if (r.contains("comments")) {
      s += " comments=[";
      for (auto& c : r["comments"]) {
        s += c["path"].get<std::string>() + ":" + std::to_string(c["line"].get<int>());
        if (c.contains("start_line") && !c["start_line"].is_null())
          s += "(from " + std::to_string(c["start_line"].get<int>()) + ")";
        if (c.value("suggestion", false)) s += "+suggestion";
        s += " ";
      }
      if (s.back() == ' ') s.pop_back();
      s += "]";
    }
    if (r.contains("position")) s += " position=" + r["position"].dump();
    if (r.value("fixed_note", false)) s += " fixed-note";
    s += " " + std::to_string(r.value("status", 0));
    if (r.contains("violation")) s += " VIOLATION: " + r["violation"].get<std::string>();
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_SUITE("adapters.ci.review_e2e") {
  TEST_CASE("GitHub: introduce keep fix - one review then nothing new then the thread is resolved") {
    if (!test::need_program("git")) return;
    test::FakeApi api({"--token", kToken});
    REQUIRE(api.port > 0);
    test::GitRepo repo;
    make_repo(repo);
    auto env = github_env(api, repo, kToken);
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();

    // Run 1, introduce: two findings on added lines, one on a line the PR did not touch.
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::write(report, bandit_report({kShell, kPassword, kOld}));
    auto r1 = review(repo, report, {}, env);
    CHECK_MESSAGE(r1.code == 0, r1.err);
    auto after1 = api.requests().size();
    auto run1 = describe(api.requests(), 0);

    // Run 2, keep: a commit elsewhere; the same findings.
    repo.write("README.md", "app\n");
    repo.commit("keep");
    auto r2 = review(repo, report, {}, env);
    CHECK_MESSAGE(r2.code == 0, r2.err);
    auto after2 = api.requests().size();
    auto run2 = describe(api.requests(), after1);

    // Run 3, fix: the shell call is gone.
    repo.write("app.py", "import os\n\n\n\ndef main():\n    password = \"hunter2\"\n    return os.getcwd()\n");
    repo.commit("fix");
    auto fixed_password = kPassword;
    fixed_password.line = 6;
    test::write(report, bandit_report({fixed_password, kOld}));
    auto r3 = review(repo, report, {}, env);
    CHECK_MESSAGE(r3.code == 0, r3.err);
    auto run3 = describe(api.requests(), after2);

    MESSAGE("run 1 (introduce):\n" << joined(run1) << "run 2 (keep):\n" << joined(run2) << "run 3 (fix):\n"
                                   << joined(run3));
    const std::string sticky_get1 = "GET /repos/octo-org/app/issues/7/comments page=1 200";
    const std::string sticky_get2 = "GET /repos/octo-org/app/issues/7/comments page=2 200";
    CHECK_MESSAGE((run1 == std::vector<std::string>{
                               sticky_get1, sticky_get2,
                               "POST /repos/octo-org/app/issues/7/comments 201",
                               "GET /repos/octo-org/app/pulls/7/comments page=1 200",
                               "POST /repos/octo-org/app/pulls/7/reviews comments=[app.py:6 app.py:7] 200",
                           }),
                  joined(run1));
    REQUIRE_MESSAGE(run2.size() == 5, joined(run2));
    CHECK(run2[2].starts_with("PATCH /repos/octo-org/app/issues/comments/"));
    // Four review comments now (two of people, two of ours), pages of three: nothing posted.
    CHECK(run2[3] == "GET /repos/octo-org/app/pulls/7/comments page=1 200");
    CHECK(run2[4] == "GET /repos/octo-org/app/pulls/7/comments page=2 200");
    REQUIRE_MESSAGE(run3.size() == 8, joined(run3));
    CHECK(run3[3] == "GET /repos/octo-org/app/pulls/7/comments page=1 200");
    CHECK(run3[4] == "GET /repos/octo-org/app/pulls/7/comments page=2 200");
    CHECK(run3[5] == "POST /graphql page=1 reviewThreads 200");
    CHECK(run3[6] == "POST /graphql page=2 reviewThreads 200");
    CHECK(run3[7] == "POST /graphql resolveReviewThread 200");

    auto reqs = api.requests();
    // The thread run 3 resolved is the one run 1 opened for the shell call.
    json review;
    for (auto& r : reqs)
      if (r.value("path", "").ends_with("/reviews")) review = r;
    REQUIRE(review.is_object());
    REQUIRE(review["comments"].size() == 2);
    CHECK(review["event"] == "COMMENT");
    CHECK(review.value("openapi", "") == "valid");
    auto review_id = review["id"].get<int>();
    // fake ids: the review, then one per comment in order; threads are PRRT_<comment id>
    CHECK(reqs.back().value("thread", "") == "PRRT_" + std::to_string(review_id + 1));
    CHECK(review["comments"][0]["line"] == 6);  // worst first: the shell call
    CHECK(r1.err.find("review: 2 comments posted") != std::string::npos);
    CHECK_MESSAGE(r2.err.find("review: 0 comments posted, 2 already there") != std::string::npos, r2.err);
    CHECK_MESSAGE(r3.err.find("1 resolved") != std::string::npos, r3.err);
    check_no_violation(api);
  }

  TEST_CASE("GitHub: GraphQL refused - the fixed finding's comment is edited to say fixed in the head sha") {
    if (!test::need_program("git")) return;
    test::FakeApi api({"--token", kToken, "--graphql-refused", "--seed-review", "0"});
    REQUIRE(api.port > 0);
    test::GitRepo repo;
    make_repo(repo);
    auto env = github_env(api, repo, kToken);
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::write(report, bandit_report({kShell, kPassword}));
    CHECK(review(repo, report, {}, env).code == 0);
    test::write(report, bandit_report({kPassword}));
    auto r = review(repo, report, {}, env);
    CHECK_MESSAGE(r.code == 0, r.err);
    auto lines = describe(api.requests(), 0);
    REQUIRE_MESSAGE(lines.size() >= 3, joined(lines));
    CHECK_MESSAGE(lines[lines.size() - 2] == "POST /graphql reviewThreads 200", joined(lines));
    CHECK_MESSAGE(lines.back().starts_with("PATCH /repos/octo-org/app/pulls/comments/"), joined(lines));
    CHECK(lines.back().find("fixed-note 200") != std::string::npos);
    CHECK(r.err.find("1 marked fixed") != std::string::npos);
    // A third run does not edit it again.
    auto before = api.requests().size();
    CHECK(review(repo, report, {}, env).code == 0);
    for (auto& l : describe(api.requests(), before)) CHECK_MESSAGE(!l.starts_with("PATCH /repos/octo-org/app/pulls"), l);
    // The shell call comes back: a new comment (the old one says fixed), and only once.
    test::write(report, bandit_report({kShell, kPassword}));
    before = api.requests().size();
    auto back = review(repo, report, {}, env);
    CHECK_MESSAGE(back.code == 0, back.err);
    auto back_lines = describe(api.requests(), before);
    CHECK_MESSAGE(back_lines.back() == "POST /repos/octo-org/app/pulls/7/reviews comments=[app.py:6] 200",
                  joined(back_lines));
    before = api.requests().size();
    CHECK(review(repo, report, {}, env).code == 0);
    for (auto& l : describe(api.requests(), before)) CHECK_MESSAGE(l.find("/reviews") == std::string::npos, l);
    check_no_violation(api);
  }

  TEST_CASE("GitHub: the filter modes and the cap decide which findings become comments") {
    if (!test::need_program("git")) return;
    test::GitRepo repo;
    make_repo(repo);
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    auto context = kPassword;  // line 5, "def main():", is a context line of the hunk
    context.id = "B999";
    context.code = "def main():";
    context.line = 5;
    context.severity = "MEDIUM";
    test::write(report, bandit_report({kShell, kPassword, context, kOld}));
    // tools.py:2 is in no hunk: only nofilter passes it, and no forge can anchor it
    const std::pair<const char*, const char*> modes[] = {
        {"added", "[app.py:6 app.py:7]"},
        {"diff_context", "[app.py:6 app.py:5 app.py:7]"},
        {"file", "[app.py:6 app.py:5 app.py:7]"},
        {"nofilter", "[app.py:6 app.py:5 app.py:7]"},
    };
    for (auto& [mode, want] : modes) {
      CAPTURE(mode);
      test::FakeApi api({"--token", kToken, "--seed-review", "0"});
      REQUIRE(api.port > 0);
      auto r = review(repo, report, {"--filter-mode", mode}, github_env(api, repo, kToken));
      CHECK_MESSAGE(r.code == 0, r.err);
      auto lines = describe(api.requests(), 0);
      CHECK_MESSAGE(lines.back() == "POST /repos/octo-org/app/pulls/7/reviews comments=" + std::string(want) + " 200",
                    joined(lines));
      if (std::string(mode) == "nofilter")
        CHECK_MESSAGE(r.err.find("1 outside the diff's hunks (summary only)") != std::string::npos, r.err);
      check_no_violation(api);
    }
    test::FakeApi api({"--token", kToken, "--seed-review", "0"});
    REQUIRE(api.port > 0);
    auto r = review(repo, report, {"--max-review-comments", "1"}, github_env(api, repo, kToken));
    CHECK_MESSAGE(r.code == 0, r.err);
    auto lines = describe(api.requests(), 0);
    CHECK_MESSAGE(lines.back() == "POST /repos/octo-org/app/pulls/7/reviews comments=[app.py:6] 200", joined(lines));
    CHECK(r.err.find("1 over the cap (summary only)") != std::string::npos);
  }

  TEST_CASE("GitHub: a fork PR with a read-only token degrades the review to annotations and exits 0") {
    if (!test::need_program("git")) return;
    test::FakeApi api({"--token", kToken, "--readonly-token", kReadOnly});
    REQUIRE(api.port > 0);
    test::GitRepo repo;
    make_repo(repo);
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    test::write(report, bandit_report({kShell}));
    auto env = github_env(api, repo, kReadOnly, "github-event-pull_request-fork.json");
    env["GITHUB_STEP_SUMMARY"] = (tmp / "summary.md").string();
    auto r = review(repo, report, {}, env);
    CHECK_MESSAGE(r.code == 0, r.err);  // publishing reports; a denied review is no error
    CHECK_MESSAGE(r.out.find(" file=app.py,line=6,") != std::string::npos, r.out);  // ::warning: --fail-on none
    CHECK_MESSAGE(r.err.find("no inline review") != std::string::npos, r.err);
    for (auto& l : describe(api.requests(), 0)) CHECK_MESSAGE(l.find("/reviews") == std::string::npos, l);
    CHECK(r.err.find(kReadOnly) == std::string::npos);
  }

  TEST_CASE("a checkout without the base commit reviews with the diff the forge serves") {
    if (!test::need_program("git")) return;
    test::GitRepo repo;
    make_repo(repo);
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::TempDir tmp;
    // What GitHub's GET /pulls/N/files says in `patch` (and GitLab's /diffs in `diff`): the hunks.
    auto patch = repo.git({"diff", "main", "HEAD", "--", "app.py"});
    patch = patch.substr(patch.find("@@"));
    while (!patch.empty() && patch.back() == '\n') patch.pop_back();
    test::write(tmp / "files.json", json::array({{{"path", "app.py"}, {"patch", patch}}}).dump());
    auto report = (tmp / "bandit.json").string();
    test::write(report, bandit_report({kShell, kPassword, kOld}));

    test::FakeApi gh({"--token", kToken, "--seed-review", "0", "--pr-files", (tmp / "files.json").string()});
    REQUIRE(gh.port > 0);
    auto env = github_env(gh, repo, kToken);
    env["GITHUB_BASE_REF"] = "release";  // not in this checkout, as after a shallow clone
    auto r = review(repo, report, {}, env);
    CHECK_MESSAGE(r.code == 0, r.err);
    auto lines = describe(gh.requests(), 0);
    REQUIRE(lines.size() >= 2);
    CHECK_MESSAGE(lines[lines.size() - 3] == "GET /repos/octo-org/app/pulls/7/files page=1 200", joined(lines));
    CHECK(lines.back() == "POST /repos/octo-org/app/pulls/7/reviews comments=[app.py:6 app.py:7] 200");
    check_no_violation(gh);

    test::FakeApi gl({"--token", kToken, "--pr-files", (tmp / "files.json").string()});
    REQUIRE(gl.port > 0);
    auto lenv = gitlab_env(gl, repo, "0000000000000000000000000000000000000000");  // an unknown base
    auto g = review(repo, report, {}, lenv);
    CHECK_MESSAGE(g.code == 0, g.err);
    std::vector<std::string> posts;
    for (auto& l : describe(gl.requests(), 0))
      if (l.starts_with("POST /api/v4/projects/42/merge_requests/3/discussions")) posts.push_back(l);
    CHECK_MESSAGE(posts.size() == 2, joined(describe(gl.requests(), 0)));
    check_no_violation(gl);
  }

  TEST_CASE("no base and a forge that refuses the diff publish the summary with a warning") {
    if (!test::need_program("git")) return;
    test::FakeApi api({"--token", kToken, "--faults", "403@GET,403@GET"});
    REQUIRE(api.port > 0);
    test::GitRepo repo;
    make_repo(repo);
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    test::write(report, bandit_report({kOld}));
    auto env = github_env(api, repo, kToken);
    env["GITHUB_BASE_REF"] = "release";
    const std::string result = report + ".result.json";
    REQUIRE(test::run_process({test::dockgate_binary(), "gate", report, "--json", result, "--fail-on", "none", "-q"},
                              env, {}, 120, repo.dir.path).code == 0);
    // The faults answer the sticky comment's list first (it degrades); the files list gets the last.
    auto r = test::run_process({test::dockgate_binary(), "publish", result, "--review"}, env, {}, 120, repo.dir.path);
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK_MESSAGE(r.err.find("no inline review: ") != std::string::npos, r.err);
    CHECK(r.err.find("origin/release is not in this checkout") != std::string::npos);
    CHECK(r.err.find("the diff from the API failed too") != std::string::npos);
    for (auto& l : describe(api.requests(), 0)) CHECK(l.find("/reviews") == std::string::npos);
  }

  TEST_CASE("GitLab: introduce keep fix - positioned discussions then nothing new then resolved") {
    if (!test::need_program("git")) return;
    test::FakeApi api({"--token", kToken});
    REQUIRE(api.port > 0);
    test::GitRepo repo;
    auto base = make_repo(repo);
    auto env = gitlab_env(api, repo, base);
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::write(report, bandit_report({kShell, kPassword, kOld}));
    auto r1 = review(repo, report, {}, env);
    CHECK_MESSAGE(r1.code == 0, r1.err);
    auto after1 = api.requests().size();
    auto r2 = review(repo, report, {}, env);
    CHECK_MESSAGE(r2.code == 0, r2.err);
    auto after2 = api.requests().size();
    repo.write("app.py", "import os\n\n\n\ndef main():\n    password = \"hunter2\"\n    return os.getcwd()\n");
    repo.commit("fix");
    auto moved = kPassword;
    moved.line = 6;
    test::write(report, bandit_report({moved, kOld}));
    auto r3 = review(repo, report, {}, env);
    CHECK_MESSAGE(r3.code == 0, r3.err);
    auto reqs = api.requests();
    auto run1 = describe(reqs, 0), run2 = describe(reqs, after1), run3 = describe(reqs, after2);
    run1.resize(after1);
    run2.resize(after2 - after1);
    MESSAGE("GitLab run 1:\n" << joined(run1) << "run 2:\n" << joined(run2) << "run 3:\n" << joined(run3));
    const std::string mr = "/api/v4/projects/42/merge_requests/3";
    std::vector<std::string> posts, puts;
    for (auto& l : describe(reqs, 0)) {
      if (l.starts_with("POST " + mr + "/discussions")) posts.push_back(l);
      if (l.starts_with("PUT " + mr + "/discussions")) puts.push_back(l);
    }
    REQUIRE_MESSAGE(posts.size() == 2, joined(posts));
    CHECK(posts[0] == "POST " + mr + "/discussions position={\"new_line\":6,\"new_path\":\"app.py\"} 201");
    CHECK(posts[1] == "POST " + mr + "/discussions position={\"new_line\":7,\"new_path\":\"app.py\"} 201");
    REQUIRE_MESSAGE(puts.size() == 1, joined(puts));
    // The discussion run 3 resolved is the one run 1 opened for the shell call.
    json first_post;
    for (auto& r : reqs)
      if (r.value("method", "") == "POST" && r.value("path", "") == mr + "/discussions") {
        first_post = r;
        break;
      }
    CHECK(puts[0] == "PUT " + mr + "/discussions/" + first_post["id"].get<std::string>() + "?resolved=true 200");
    for (auto& l : run2) CHECK_MESSAGE(!l.starts_with("POST " + mr + "/discussions"), l);
    CHECK(r3.err.find("1 resolved") != std::string::npos);
    check_no_violation(api);
  }

  TEST_CASE("GitHub and GitLab: a lint fix becomes a suggestion over the instruction's lines") {
    if (!test::need_program("git")) return;
    test::GitRepo repo;
    repo.write("Dockerfile", "FROM python:3.12-slim\nCOPY requirements.txt /app/\n");
    repo.write(".dockerignore", ".git\n");
    auto base = repo.commit("base");
    repo.git({"checkout", "-q", "-b", "feature"});
    repo.write("Dockerfile", "FROM python:3.12-slim\nCOPY requirements.txt /app/\n"
                             "RUN apt-get update \\\n    && apt-get install -y curl \\\n"
                             "    && rm -rf /var/lib/apt/lists/*\n"
                             "ADD app.py /app/\n");
    repo.commit("apt and ADD");
    test::TempDir tmp;
    const std::string result = (tmp / "lint.json").string();
    test::FakeApi gh({"--token", kToken, "--seed-review", "0"});
    test::FakeApi gl({"--token", kToken});
    REQUIRE(gh.port > 0);
    REQUIRE(gl.port > 0);
    auto genv = github_env(gh, repo, kToken);
    auto lint = test::run_process({test::dockgate_binary(), "lint", "Dockerfile", "--json", result, "-q"}, genv, {}, 120,
                                  repo.dir.path);
    REQUIRE_MESSAGE(std::filesystem::exists(result), lint.err);

    auto r = test::run_process({test::dockgate_binary(), "publish", result, "--review"}, genv, {}, 120, repo.dir.path);
    CHECK_MESSAGE(r.code == 0, r.err);
    json review;
    for (auto& q : gh.requests())
      if (q.value("path", "").ends_with("/reviews")) review = q;
    REQUIRE_MESSAGE(review.is_object(), joined(describe(gh.requests(), 0)));
    json apt, add;
    for (auto& c : review["comments"]) {
      if (!c["suggestion_lines"].is_array()) continue;
      if (c["line"] == 5) apt = c;
      if (c["line"] == 6) add = c;
    }
    REQUIRE_MESSAGE(apt.is_object(), review.dump());
    CHECK(apt["start_line"] == 3);  // the whole RUN, lines 3-5
    CHECK(apt["suggestion_lines"] == json::array({"RUN apt-get update \\",
                                                  "    && apt-get install --no-install-recommends -y curl \\",
                                                  "    && rm -rf /var/lib/apt/lists/*"}));
    REQUIRE_MESSAGE(add.is_object(), review.dump());
    CHECK(add["start_line"].is_null());
    CHECK(add["suggestion_lines"] == json::array({"COPY app.py /app/"}));
    check_no_violation(gh);

    // GitLab anchors on the last line and reaches up with suggestion:-2+0.
    auto lenv = gitlab_env(gl, repo, base);
    auto g = test::run_process({test::dockgate_binary(), "publish", result, "--review"}, lenv, {}, 120, repo.dir.path);
    CHECK_MESSAGE(g.code == 0, g.err);
    std::vector<std::string> fences;
    for (auto& q : gl.requests())
      if (q.contains("suggestion_fence"))
        fences.push_back(q["position"]["new_line"].dump() + " " + q["suggestion_fence"].get<std::string>());
    std::sort(fences.begin(), fences.end());
    CHECK_MESSAGE((fences == std::vector<std::string>{"5 ```suggestion:-2+0", "6 ```suggestion"}), joined(fences));
    check_no_violation(gl);
  }

  TEST_CASE("gate --review on a fork PR exits with the verdict and prints the findings as annotations") {
    if (!test::need_program("git")) return;
    test::FakeApi api({"--token", kToken, "--readonly-token", kReadOnly});
    REQUIRE(api.port > 0);
    test::GitRepo repo;
    make_repo(repo);
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    test::write(report, bandit_report({kShell, kOld}));
    auto env = github_env(api, repo, kReadOnly, "github-event-pull_request-fork.json");
    env["GITHUB_STEP_SUMMARY"] = (tmp / "summary.md").string();
    auto r = test::run_process({test::dockgate_binary(), "gate", report, "--review", "--fail-on", "high"}, env, {}, 120,
                               repo.dir.path);
    CHECK_MESSAGE(r.code == 1, r.err);  // the verdict's code: a denied review is no error
    CHECK_MESSAGE(r.out.find("::error file=app.py,line=6,") != std::string::npos, r.out);
    CHECK(r.out.find("file=tools.py") == std::string::npos);  // not on a changed line: summary only
    CHECK_MESSAGE(r.err.find("no inline review on octo-org/app#12") != std::string::npos, r.err);
    for (auto& l : describe(api.requests(), 0)) CHECK_MESSAGE(l.find("/reviews") == std::string::npos, l);
    check_no_violation(api);
  }

  TEST_CASE("review true in dockgate.yml makes gate --publish review") {
    if (!test::need_program("git")) return;
    test::FakeApi api({"--token", kToken, "--seed-review", "0"});
    REQUIRE(api.port > 0);
    test::GitRepo repo;
    make_repo(repo);
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    test::write(report, bandit_report({kShell}));
    test::write(tmp / "dockgate.yml", "review: true\n");
    auto env = github_env(api, repo, kToken);
    auto run = [&](std::vector<std::string> extra) {
      std::vector<std::string> argv{test::dockgate_binary(), "gate", report, "-c", (tmp / "dockgate.yml").string(),
                                    "--fail-on", "none"};
      argv.insert(argv.end(), extra.begin(), extra.end());
      return test::run_process(argv, env, {}, 120, repo.dir.path);
    };
    auto quiet = run({});  // no --publish: nothing is sent
    CHECK_MESSAGE(quiet.code == 0, quiet.err);
    CHECK(api.requests().empty());
    auto r = run({"--publish", "--review-base", "main"});
    CHECK_MESSAGE(r.code == 0, r.err);
    auto lines = describe(api.requests(), 0);
    CHECK_MESSAGE(lines.back() == "POST /repos/octo-org/app/pulls/7/reviews comments=[app.py:6] 200", joined(lines));
    CHECK(r.err.find("review: 1 comment posted") != std::string::npos);
    check_no_violation(api);
  }

  TEST_CASE("a 502 on the review is retried into one review and a 422 leaves the summary comment standing") {
    if (!test::need_program("git")) return;
    test::GitRepo repo;
    make_repo(repo);
    repo.write("app.py", "import os\nimport subprocess\n\n\ndef main():\n"
                         "    subprocess.call(os.environ[\"CMD\"], shell=True)\n    password = \"hunter2\"\n"
                         "    return os.getcwd()\n");
    repo.commit("introduce");
    test::TempDir tmp;
    auto report = (tmp / "bandit.json").string();
    test::write(report, bandit_report({kShell, kPassword}));
    {
      test::FakeApi api({"--token", kToken, "--seed-review", "0", "--faults", "502@POST:/reviews"});
      REQUIRE(api.port > 0);
      auto r = review(repo, report, {}, github_env(api, repo, kToken));
      CHECK_MESSAGE(r.code == 0, r.err);
      std::vector<std::string> reviews;
      for (auto& l : describe(api.requests(), 0))
        if (l.find("/reviews") != std::string::npos) reviews.push_back(l);
      CHECK_MESSAGE((reviews == std::vector<std::string>{
                                    "POST /repos/octo-org/app/pulls/7/reviews 502",
                                    "POST /repos/octo-org/app/pulls/7/reviews comments=[app.py:6 app.py:7] 200",
                                }),
                    joined(reviews));
      CHECK(r.err.find("review: 2 comments posted") != std::string::npos);
      check_no_violation(api);
    }
    {
      test::FakeApi api({"--token", kToken, "--seed-review", "0", "--faults", "422@POST:/reviews"});
      REQUIRE(api.port > 0);
      auto r = review(repo, report, {}, github_env(api, repo, kToken));
      CHECK_MESSAGE(r.code == 0, r.err);
      CHECK(r.err.find("comment created") != std::string::npos);
      CHECK_MESSAGE(r.err.find("the inline review failed: GitHub: POST /repos/octo-org/app/pulls/7/reviews: HTTP 422") !=
                        std::string::npos,
                    r.err);
    }
  }
}
