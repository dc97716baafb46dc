// The copyable CI examples under ci-examples/ are checked by independent validators: GitHub files
// with action-validator, the GitLab template with GitLab's own CI JSON schema, the pre-push hook
// with bash -n (and shellcheck when present). No Jenkins here: the Jenkinsfile gets a structural
// check (balanced delimiters outside strings and comments, the required steps present).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <regex>
#include <sstream>

#include "tests/adapters/ci/fake_api_server.hpp"
#include "tests/support.hpp"

using namespace dg;

namespace {

test::fs::path example(const std::string& rel) { return test::source_dir() / "ci-examples" / rel; }

std::string action_validator() { return (test::source_dir() / "tools/node_modules/.bin/action-validator").string(); }

// Python with PyYAML (Debian python3-yaml) answers questions about a YAML file.
test::ProcResult yaml_query(const test::fs::path& file, const std::string& code) {
  std::string script = "import sys,yaml\nd=yaml.safe_load(open(sys.argv[1]))\n" + code;
  return test::run_process({"/usr/bin/python3", "-c", script, file.string()});
}

// Delimiters of a Groovy file, balanced outside comments and string literals.
std::string groovy_balance(const std::string& s) {
  std::string stack;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    auto starts = [&](const char* t) { return s.compare(i, std::strlen(t), t) == 0; };
    if (starts("//")) {
      i = s.find('\n', i);
      if (i == std::string::npos) break;
      continue;
    }
    if (starts("/*")) {
      i = s.find("*/", i + 2);
      if (i == std::string::npos) return "unterminated comment";
      ++i;
      continue;
    }
    if (starts("'''") || starts("\"\"\"")) {
      std::string q = s.substr(i, 3);
      i = s.find(q, i + 3);
      if (i == std::string::npos) return "unterminated triple-quoted string";
      i += 2;
      continue;
    }
    if (c == '\'' || c == '"') {
      for (++i; i < s.size() && s[i] != c; ++i) {
        if (s[i] == '\\') ++i;
        if (s[i] == '\n') return "newline in a string";
      }
      if (i >= s.size()) return "unterminated string";
      continue;
    }
    if (c == '{' || c == '(' || c == '[') stack += c;
    if (c == '}' || c == ')' || c == ']') {
      char open = c == '}' ? '{' : c == ')' ? '(' : '[';
      if (stack.empty() || stack.back() != open) return std::string("unbalanced ") + c + " at offset " + std::to_string(i);
      stack.pop_back();
    }
  }
  return stack.empty() ? "" : "unclosed " + stack;
}

}  // namespace

TEST_SUITE("ci_examples") {
  TEST_CASE("GitHub composite action and workflow pass action-validator") {
    if (!test::need(std::filesystem::exists(action_validator()), "action-validator")) return;
    for (auto f : {"github/action.yml", "github/workflow.yml"}) {
      auto r = test::run_process({action_validator(), example(f).string()}, {}, {}, 60, test::source_dir());
      CHECK_MESSAGE(r.code == 0, f, ": ", r.out, r.err);
    }
  }

  TEST_CASE("action-validator rejects a broken workflow so its pass means something") {
    if (!test::need(std::filesystem::exists(action_validator()), "action-validator")) return;
    test::TempDir tmp;
    auto text = test::read(example("github/workflow.yml"));
    auto pos = text.find("pull-requests: write");
    REQUIRE(pos != std::string::npos);
    text.replace(pos, std::strlen("pull-requests: write"), "pull-requests: admin");
    test::write(tmp / "workflow.yml", text);
    auto r = test::run_process({action_validator(), (tmp / "workflow.yml").string()}, {}, {}, 60, tmp.path);
    CHECK(r.code != 0);
  }

  TEST_CASE("GitHub workflow uses pull_request and the least permissions per job") {
    auto r = yaml_query(example("github/workflow.yml"),
                        "on=d.get('on', d.get(True))\n"
                        "assert 'pull_request' in on and 'pull_request_target' not in on, on\n"
                        "assert d['permissions']=={'contents':'read'}, d['permissions']\n"
                        "perms={k:j.get('permissions') for k,j in d['jobs'].items()}\n"
                        "sec=[k for k,p in perms.items() if p and p.get('security-events')=='write']\n"
                        "prw=[k for k,p in perms.items() if p and p.get('pull-requests')=='write']\n"
                        "assert sec==['scan'] and prw==['merge'], perms\n"
                        "assert all(set(p)<= {'contents','security-events','pull-requests'} for p in perms.values()), perms\n"
                        "assert 'matrix' in d['jobs']['scan']['strategy']\n"
                        "assert d['jobs']['merge']['needs']=='scan'\n"
                        "print('ok')\n");
    CHECK_MESSAGE(r.out == "ok\n", r.out, r.err);
  }

  TEST_CASE("GitHub action passes inputs and the token through env and never into a script") {
    auto r = yaml_query(example("github/action.yml"),
                        "steps=d['runs']['steps']\n"
                        "for s in steps:\n"
                        "  assert '${{' not in s.get('run',''), s.get('name')\n"
                        "pub=[s for s in steps if s.get('name')=='Comment on the pull request'][0]\n"
                        "assert pub['env']['GITHUB_TOKEN']=='${{ inputs.token }}'\n"
                        "sarif=[s for s in steps if str(s.get('uses','')).startswith('github/codeql-action/upload-sarif')][0]\n"
                        "assert 'category' in sarif['with']\n"
                        "assert any('--summary' in s.get('run','') for s in steps)\n"
                        "print('ok')\n");
    CHECK_MESSAGE(r.out == "ok\n", r.out, r.err);
  }

  TEST_CASE("GitLab template validates against GitLab's CI schema") {
    auto schema = test::corpus("schemas/gitlab-ci.schema.json");
    test::TempDir tmp;
    auto conv = test::run_process({"/usr/bin/python3", "-c",
                                   "import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1])), open(sys.argv[2],'w'))",
                                   example("gitlab/dockgate.gitlab-ci.yml").string(), (tmp / "ci.json").string()});
    REQUIRE_MESSAGE(conv.code == 0, conv.err);
    CHECK(test::validate_json_schema(schema, tmp / "ci.json") == "");

    // The schema is strict enough to matter: a job whose script is a number fails it.
    const std::string break_script =
        "import json,sys; d=json.load(open(sys.argv[1])); d['dockgate']['script']=42;"
        "json.dump(d, open(sys.argv[2],'w'))";
    auto broken = test::run_process(
        {"/usr/bin/python3", "-c", break_script, (tmp / "ci.json").string(), (tmp / "broken.json").string()});
    REQUIRE(broken.code == 0);
    CHECK(test::validate_json_schema(schema, tmp / "broken.json") != "");
  }

  TEST_CASE("GitLab template has reports and shards and a merge job that publishes") {
    auto r = yaml_query(example("gitlab/dockgate.gitlab-ci.yml"),
                        "j=d['dockgate']; m=d['dockgate-merge']\n"
                        "rep=j['artifacts']['reports']\n"
                        "assert 'junit' in rep and 'codequality' in rep, rep\n"
                        "assert 'matrix' in j['parallel'], j['parallel']\n"
                        "assert m['stage']=='.post' and m['needs'][0]['job']=='dockgate'\n"
                        "s='\\n'.join(m['script'])\n"
                        "assert 'dockgate merge' in s and 'dockgate publish' in s\n"
                        "assert 'GITLAB_TOKEN' not in s  # read by dockgate from the environment\n"
                        "print('ok')\n");
    CHECK_MESSAGE(r.out == "ok\n", r.out, r.err);
  }

  TEST_CASE("Jenkinsfile is balanced and has junit and recordIssues and a PR comment") {
    auto text = test::read(example("jenkins/Jenkinsfile"));
    REQUIRE(!text.empty());
    CHECK(groovy_balance(text) == "");
    for (auto needle : {"pipeline {", "agent ", "stages {", "junit ", "recordIssues(", "sarif(pattern: ",
                        "changeRequest()", "dockgate publish", "withCredentials(", "--token-env"})
      CHECK_MESSAGE(text.find(needle) != std::string::npos, needle);
    // The token is read by the shell: never Groovy-interpolated into a double-quoted string.
    CHECK(text.find("\"dockgate publish") == std::string::npos);
    CHECK(text.find("${DOCKGATE_FORGE_TOKEN}") == std::string::npos);
    // The checker itself notices damage.
    CHECK(groovy_balance(text + "\n}") != "");
    CHECK(groovy_balance("stage('x') { steps { sh 'echo }' } ") != "");
  }

  TEST_CASE("pre-push hook checks the pushed commit and blocks only on a policy failure") {
    auto hook = example("hooks/pre-push").string();
    CHECK(test::run_process({"bash", "-n", hook}).code == 0);
    if (test::need_program("shellcheck")) {
      auto sc = test::run_process({"shellcheck", hook});
      CHECK_MESSAGE(sc.code == 0, sc.out);
    }
    if (!test::need_program("git")) return;
    test::TempDir tmp;
    auto repo = tmp / "repo";
    std::filesystem::create_directories(repo);
    std::map<std::string, std::string> git_env{{"GIT_AUTHOR_NAME", "t"}, {"GIT_AUTHOR_EMAIL", "t@example.invalid"},
                                               {"GIT_COMMITTER_NAME", "t"}, {"GIT_COMMITTER_EMAIL", "t@example.invalid"},
                                               {"GIT_CONFIG_NOSYSTEM", "1"}, {"HOME", tmp.path.string()}};
    auto git = [&](std::vector<std::string> args) {
      args.insert(args.begin(), "git");
      auto r = test::run_process(args, git_env, {}, 30, repo);
      REQUIRE_MESSAGE(r.code == 0, r.err);
      while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == ' ')) r.out.pop_back();
      return r.out;
    };
    git({"init", "-q"});
    // The commit has the bad Dockerfile; the working tree has an uncommitted fix.
    test::write(repo / "Dockerfile", "FROM alpine:latest # BAD\n");
    git({"add", "Dockerfile"});
    git({"commit", "-q", "-m", "bad"});
    std::string sha = git({"rev-parse", "HEAD"});
    test::write(repo / "Dockerfile", "FROM alpine:3.20\n");
    // A stand-in dockgate: records its arguments and fails the policy when the Dockerfile it is
    // given to check (in its working directory) is the bad one.
    test::write(tmp / "dockgate", "#!/bin/sh\necho \"$@\" >> \"$FAKE_LOG\"\n"
                                  "if grep -q BAD Dockerfile; then exit \"$FAKE_EXIT\"; fi\nexit 0\n");
    std::filesystem::permissions(tmp / "dockgate", std::filesystem::perms::owner_all);
    const std::string push = "refs/heads/x " + sha + " refs/heads/x 0000000000000000000000000000000000000000\n";
    auto run = [&](const std::string& exit_code, const std::string& stdin_data, const std::map<std::string, std::string>& extra = {}) {
      auto env = git_env;
      env["DOCKGATE_BIN"] = (tmp / "dockgate").string();
      env["FAKE_EXIT"] = exit_code;
      env["FAKE_LOG"] = (tmp / "calls").string();
      env["DOCKGATE_SKIP"] = "";
      for (auto& [k, v] : extra) env[k] = v;
      return test::run_process({"bash", hook, "origin", "git@example:repo.git"}, env, stdin_data, 30, repo);
    };
    auto fail = run("1", push);
    CHECK_MESSAGE(fail.code == 1, fail.err);  // the working tree's fix does not hide the pushed commit
    CHECK(fail.err.find("policy failed") != std::string::npos);
    auto broken = run("4", push);
    CHECK(broken.code == 0);
    CHECK(broken.err.find("could not run") != std::string::npos);
    CHECK(test::read(tmp / "calls").find("run --only lint,bandit") != std::string::npos);
    CHECK(test::read(repo / "Dockerfile") == "FROM alpine:3.20\n");  // the working tree is left alone

    // A good commit with junk in the working tree passes.
    git({"commit", "-q", "-am", "fix"});
    std::string good = git({"rev-parse", "HEAD"});
    test::write(repo / "Dockerfile", "FROM alpine:latest # BAD, not committed\n");
    CHECK(run("1", "refs/heads/x " + good + " refs/heads/x " + sha + "\n").code == 0);

    std::filesystem::remove(tmp / "calls");
    CHECK(run("1", push, {{"DOCKGATE_SKIP", "1"}}).code == 0);
    CHECK(run("1", "refs/heads/x 0000000000000000000000000000000000000000 refs/heads/x " + sha + "\n").code == 0);
    CHECK_FALSE(std::filesystem::exists(tmp / "calls"));  // skipped and delete-only pushes run nothing
  }
}

// Each example's steps, run in order as its platform runs them (tests/data/ci/run_example.py), in
// a fake CI environment whose PR/MR API is tests/data/ci/fake_api.py. The rule for every example:
// gate -> write outputs -> upload/publish whatever the code -> exit with the gate's code.
namespace {

constexpr const char* kExampleToken = "ghp_EXAMPLES_DO_NOT_LEAK_5c1d";

// The gate's three outcomes from real reports. No scanner or image exists here, so the examples'
// `dockgate run` becomes `dockgate gate` over one of these, with the example's own output flags;
// every other command is the real dockgate.
struct Outcome {
  int code;
  const char* report;
  const char* fail_on;
};
constexpr Outcome kOutcomes[] = {
    {0, "hadolint/dd-one_dockerfile.json", "critical"},
    {1, "hadolint/dd-one_dockerfile.json", "low"},
    {4, "bandit/real-examples.json", "high"},  // bandit could not scan three files: a step in error
};

struct Sandbox {
  test::TempDir tmp;
  test::fs::path work = tmp / "work";
  test::fs::path bin = tmp / "bin";
  std::map<std::string, std::string> env;

  Sandbox(const Outcome& o, const test::FakeApi& api) {
    test::fs::create_directories(work);
    test::fs::create_directories(bin);
    // The checked-out repository has its dockgate.yml (the GitLab template names it in DOCKGATE_CONFIG).
    test::write(work / "dockgate.yml", "policy:\n  fail-on: high\n");
    test::write(bin / "dockgate",
                "#!/bin/bash\n"
                "echo \"dockgate $*\" >> \"$DG_CALLS\"\n"
                "if [ \"$1\" = run ]; then\n"
                "  shift; args=()\n"
                "  while [ $# -gt 0 ]; do\n"
                "    case \"$1\" in --image|--dockerfile|--config) shift 2 ;; *) args+=(\"$1\"); shift ;; esac\n"
                "  done\n"
                "  exec \"$DG_REAL\" gate \"$DG_REPORT\" --fail-on \"$DG_FAIL_ON\" \"${args[@]}\"\n"
                "fi\n"
                "if [ \"$1\" = merge ]; then exec \"$DG_REAL\" \"$@\" --fail-on \"$DG_FAIL_ON\"; fi\n"
                "exec \"$DG_REAL\" \"$@\"\n");
    // Scanners already on the runner: the examples' install steps keep them (no network here).
    for (auto* t : {"hadolint", "trivy", "grype", "bandit"}) test::write(bin / t, "#!/bin/sh\nexit 0\n");
    for (auto& e : test::fs::directory_iterator(bin)) test::fs::permissions(e.path(), test::fs::perms::owner_all);
    for (const char* k :
         {"GITHUB_ACTIONS", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_STEP_SUMMARY", "GITHUB_EVENT_PATH", "GITHUB_REF",
          "GITHUB_HEAD_REF", "GITHUB_API_URL", "GITHUB_SERVER_URL", "GITHUB_WORKSPACE", "GITLAB_CI", "GITLAB_TOKEN",
          "CI_JOB_TOKEN", "CI_API_V4_URL", "GITLAB_API_URL", "CI_PROJECT_ID", "CI_PROJECT_DIR", "CI_MERGE_REQUEST_IID",
          "JENKINS_URL", "JENKINS_HOME", "CHANGE_ID", "CHANGE_URL", "GIT_URL", "DOCKGATE_FORGE", "DOCKGATE_CONFIG",
          "WORKSPACE"})
      env[k] = "";
    const char* path = std::getenv("PATH");
    env["PATH"] = bin.string() + ":" + (path ? path : "/usr/bin:/bin");
    env["DG_REAL"] = test::dockgate_binary();
    env["DG_CALLS"] = (tmp / "calls").string();
    env["DG_REPORT"] = test::corpus(o.report).string();
    env["DG_FAIL_ON"] = o.fail_on;
    env["SOURCE_DATE_EPOCH"] = "1795000000";
    env["FAKE_API"] = api.url();
  }

  nlohmann::json run(const std::string& platform, const std::string& file, std::vector<std::string> extra) {
    std::vector<std::string> argv{"/usr/bin/python3", test::data("ci/run_example.py").string(), platform,
                                  example(file).string(), work.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    auto r = test::run_process(argv, env, {}, 300, work);
    INFO(r.err);
    REQUIRE_MESSAGE(r.code == 0, r.out);
    return nlohmann::json::parse(r.out);
  }

  std::string calls() const { return test::read(tmp / "calls"); }
};

std::vector<std::string> posts(const test::FakeApi& api) {
  std::vector<std::string> out;
  for (auto& r : api.requests())
    if (r.value("method", "") == "POST" || r.value("method", "") == "PATCH" || r.value("method", "") == "PUT")
      out.push_back(r.value("method", "") + " " + r.value("path", ""));
  return out;
}

const nlohmann::json* find_named(const nlohmann::json& list, const std::string& name) {
  for (auto& e : list)
    if (e.value("name", "") == name) return &e;
  return nullptr;
}

}  // namespace

TEST_SUITE("ci_examples.run") {
  TEST_CASE("GitHub action uploads SARIF and comments then exits with the gate's code") {
    for (auto& o : kOutcomes) {
      CAPTURE(o.code);
      test::FakeApi api({"--token", kExampleToken});
      REQUIRE(api.port > 0);
      Sandbox sb(o, api);
      sb.env["GITHUB_REPOSITORY"] = "octo-org/app";
      sb.env["GITHUB_SHA"] = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
      sb.env["GITHUB_EVENT_PATH"] = test::data("ci/github-event-pull_request.json").string();
      sb.env["GITHUB_SERVER_URL"] = "https://github.com";
      sb.env["GITHUB_API_URL"] = api.url();
      sb.env["GITHUB_WORKFLOW"] = "dockgate";
      sb.env["GITHUB_JOB"] = "scan";
      sb.env["GITHUB_RUN_ID"] = "1658821493";
      sb.env["GITHUB_TOKEN"] = kExampleToken;
      auto rep = sb.run("github", "github/action.yml",
                        {"--input", "command=run", "--input", "args=--image app:1", "--input", "key=app", "--input",
                         "binary=" + (sb.bin / "dockgate").string()});
      INFO(rep.dump(1));
      auto* upload = find_named(rep["steps"], "Upload SARIF to code scanning");
      auto* comment = find_named(rep["steps"], "Comment on the pull request");
      auto* verdict = find_named(rep["steps"], "Verdict");
      REQUIRE(upload);
      REQUIRE(comment);
      REQUIRE(verdict);
      CHECK((*upload)["ran"] == true);
      CHECK((*upload)["file_exists"] == true);
      CHECK((*upload)["with"]["category"] == "dockgate/app");
      CHECK((*comment)["ran"] == true);
      CHECK((*verdict)["code"] == o.code);
      CHECK(rep["final"] == o.code);
      CHECK(rep["failed"] == (o.code != 0));
      auto sarif = nlohmann::json::parse(test::read(test::fs::path((*upload)["with"]["sarif_file"].get<std::string>())));
      for (auto& run : sarif["runs"])
        CHECK(run["automationDetails"]["id"].get<std::string>().starts_with("dockgate/app/"));
      auto p = posts(api);
      CHECK(std::find(p.begin(), p.end(), "POST /repos/octo-org/app/issues/7/comments") != p.end());
      CHECK(api.server_errors() == "");
    }
  }

  // The release the action installs: dockgate-<version>-linux-x86_64.tar.gz and SHA256SUMS, laid
  // out as scripts/release-assets.sh writes them, served by a stand-in curl (no network here).
  TEST_CASE("GitHub action installs the release only when it matches SHA256SUMS") {
    for (bool tampered : {false, true}) {
      CAPTURE(tampered);
      test::FakeApi api({"--token", kExampleToken});
      REQUIRE(api.port > 0);
      Sandbox sb(kOutcomes[0], api);
      auto rel = sb.tmp / "release";
      auto tree = rel / "stage/dockgate-0.1.0-linux-x86_64";
      test::fs::create_directories(tree / "bin");
      test::fs::create_directories(tree / "lib");
      test::fs::copy_file(sb.bin / "dockgate", tree / "bin/dockgate");
      test::fs::remove(sb.bin / "dockgate");  // only the release may provide it
      auto tar = test::run_process({"tar", "-czf", (rel / "dockgate-0.1.0-linux-x86_64.tar.gz").string(), "-C",
                                    (rel / "stage").string(), "dockgate-0.1.0-linux-x86_64"});
      REQUIRE(tar.code == 0);
      auto sums = test::run_process({"sha256sum", "dockgate-0.1.0-linux-x86_64.tar.gz"}, {}, {}, 30, rel);
      REQUIRE(sums.code == 0);
      std::string line = sums.out;
      if (tampered) line[0] = line[0] == '0' ? '1' : '0';
      test::write(rel / "SHA256SUMS", line);
      // curl -fsSL --retry 3 -o FILE URL: the file named by the URL's last part, else 22 (HTTP error).
      test::write(sb.bin / "curl", "#!/bin/bash\nwhile [ $# -gt 0 ]; do case \"$1\" in -o) out=\"$2\"; shift 2 ;; "
                                   "--retry) shift 2 ;; -*) shift ;; *) url=\"$1\"; shift ;; esac; done\n"
                                   "echo \"$url\" >> \"$DG_CALLS.curl\"\n"
                                   "f=\"$DG_RELEASE/${url##*/}\"; [ -f \"$f\" ] || exit 22; cp \"$f\" \"$out\"\n");
      test::write(sb.bin / "sudo", "#!/bin/sh\necho \"sudo $*\" >&2\nexit 1\n");  // the source fallback goes no further
      for (auto* f : {"curl", "sudo"}) test::fs::permissions(sb.bin / f, test::fs::perms::owner_all);
      sb.env["DG_RELEASE"] = rel.string();
      sb.env["GITHUB_REPOSITORY"] = "octo-org/app";
      sb.env["GITHUB_EVENT_PATH"] = test::data("ci/github-event-pull_request.json").string();
      sb.env["GITHUB_API_URL"] = api.url();
      sb.env["GITHUB_TOKEN"] = kExampleToken;
      auto rep = sb.run("github", "github/action.yml",
                        {"--input", "command=gate", "--input", "args=" + test::corpus(kOutcomes[0].report).string(),
                         "--input", "key=app", "--input", "publish=false"});
      INFO(rep.dump(1));
      auto* install = find_named(rep["steps"], "Install dockgate");
      REQUIRE(install);
      auto curls = test::read(sb.tmp / "calls.curl");
      CHECK(curls.find("/releases/download/v0.1.0/dockgate-0.1.0-linux-x86_64.tar.gz") != std::string::npos);
      CHECK(curls.find("/releases/download/v0.1.0/SHA256SUMS") != std::string::npos);
      if (!tampered) {
        CHECK((*install)["code"] == 0);
        CHECK((*install)["stdout"].get<std::string>().find("dockgate 0.1.0") != std::string::npos);
        CHECK(rep["final"] == 0);
      } else {
        // A checksum mismatch is never installed: the action falls back to the source build.
        CHECK((*install)["code"] != 0);
        CHECK((*install)["stdout"].get<std::string>().find("no verified release asset") != std::string::npos);
        CHECK(rep["final"] == 4);  // dockgate never ran: the verdict step says 4
      }
    }
  }

  TEST_CASE("GitLab template keeps reports and writes the MR note then exits with the gate's code") {
    for (auto& o : kOutcomes) {
      CAPTURE(o.code);
      test::FakeApi api({"--token", kExampleToken});
      REQUIRE(api.port > 0);
      Sandbox sb(o, api);
      sb.env["CI_SERVER_URL"] = "https://gitlab.example.org";
      sb.env["CI_API_V4_URL"] = api.url() + "/api/v4";
      sb.env["CI_PROJECT_ID"] = "42";
      sb.env["CI_PROJECT_PATH"] = "grp/app";
      sb.env["CI_MERGE_REQUEST_IID"] = "3";
      sb.env["CI_PIPELINE_SOURCE"] = "merge_request_event";
      sb.env["CI_REGISTRY_IMAGE"] = "registry.example.org/grp/app";
      sb.env["CI_COMMIT_SHA"] = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
      sb.env["GITLAB_TOKEN"] = kExampleToken;
      auto rep = sb.run("gitlab", "gitlab/dockgate.gitlab-ci.yml",
                        {"--job", "dockgate", "--job", "dockgate-merge", "--var", "DOCKGATE_TARGET=app"});
      INFO(rep.dump(1));
      REQUIRE(rep["jobs"].size() == 2);
      auto& shard = rep["jobs"][0];
      auto& merge = rep["jobs"][1];
      CHECK(shard["ran"] == true);
      CHECK(shard["code"] == (o.code > 1 ? o.code : 0));  // 0 and 1: the merge job decides
      CHECK(shard["reports"]["junit"].size() == 1);
      CHECK(shard["reports"]["codequality"].size() == 1);
      CHECK(merge["ran"] == true);
      CHECK(merge["code"] == o.code);
      CHECK(rep["final"] == o.code);
      CHECK(sb.calls().find("dockgate publish dockgate/merged.json") != std::string::npos);
      auto p = posts(api);
      CHECK(std::find(p.begin(), p.end(), "POST /api/v4/projects/42/merge_requests/3/notes") != p.end());
      CHECK(api.server_errors() == "");
    }
  }

  TEST_CASE("Jenkinsfile records reports and comments then fails with the gate's code") {
    for (auto& o : kOutcomes) {
      CAPTURE(o.code);
      test::FakeApi api({"--token", kExampleToken});
      REQUIRE(api.port > 0);
      Sandbox sb(o, api);
      sb.env["JENKINS_URL"] = "https://jenkins.example.com/";
      sb.env["JOB_NAME"] = "app/PR-7";
      sb.env["BUILD_URL"] = "https://jenkins.example.com/job/app/job/PR-7/3/";
      sb.env["CHANGE_ID"] = "7";
      sb.env["CHANGE_URL"] = "https://github.com/octo-org/app/pull/7";
      sb.env["GITHUB_API_URL"] = api.url();
      auto rep = sb.run("jenkins", "jenkins/Jenkinsfile",
                        {"--credential", std::string("dockgate-forge-token=") + kExampleToken});
      INFO(rep.dump(1));
      for (auto* stage : {"dockgate", "PR comment", "verdict"}) {
        auto* s = find_named(rep["stages"], stage);
        REQUIRE_MESSAGE(s, stage);
        CHECK_MESSAGE((*s)["ran"] == true, stage);
      }
      std::map<std::string, std::size_t> recorded;
      for (auto& r : rep["recorded"]) recorded[r["step"].get<std::string>()] = r["files"].size();
      CHECK(recorded["junit"] == 1);
      CHECK(recorded["recordIssues"] == 1);
      CHECK(recorded["archiveArtifacts"] >= 3);
      CHECK(rep["final"] == o.code);
      auto p = posts(api);
      CHECK(std::find(p.begin(), p.end(), "POST /repos/octo-org/app/issues/7/comments") != p.end());
      CHECK(api.server_errors() == "");
    }
  }
}

TEST_SUITE("ci_examples.pins") {
  // GitHub's "Security hardening for GitHub Actions": a full-length commit SHA is the only
  // immutable reference to an action; the tag goes in a comment for people and Dependabot.
  TEST_CASE("third-party actions are pinned by full SHA with the tag as a comment") {
    std::size_t pinned = 0;
    for (auto* f : {"github/action.yml", "github/workflow.yml"}) {
      std::istringstream in(test::read(example(f)));
      for (std::string line; std::getline(in, line);) {
        auto at = line.find("uses: ");
        if (at == std::string::npos || line.find('#') < at) continue;
        std::string ref = line.substr(at + 6);
        if (ref.starts_with("./")) continue;
        static const std::regex pin(R"(^[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s*v\d+(\.\d+)*\s*$)");
        CHECK_MESSAGE(std::regex_match(ref, pin), f, ": ", line);
        ++pinned;
        if (ref.starts_with("github/codeql-action/"))
          CHECK_MESSAGE(ref.find("# v4.") != std::string::npos, "codeql-action's current major is v4: ", line);
      }
    }
    CHECK(pinned >= 5);
  }

  // The GitHub action installs the scanners for `command: run` as the GitLab template and the
  // Jenkinsfile do: pinned releases, each checked against its release's checksum file.
  TEST_CASE("GitHub action pins dockgate and the scanners and checks their checksums") {
    auto gh = yaml_query(example("github/action.yml"),
                         "import re\n"
                         "assert re.fullmatch(r'\\d+\\.\\d+\\.\\d+', d['inputs']['version']['default'])\n"
                         "st=[s for s in d['runs']['steps'] if s.get('name')=='Install the scanners'][0]\n"
                         "for k in ('HADOLINT_VERSION','TRIVY_VERSION','GRYPE_VERSION','BANDIT_VERSION'):\n"
                         "  assert re.fullmatch(r'\\d+\\.\\d+\\.\\d+', st['env'][k]), k\n"
                         "r=st['run']\n"
                         "assert 'sha256sum -c' in r and len(re.findall(r'\\n *check ', r)) == 3, r\n"
                         "assert 'bandit==$BANDIT_VERSION' in r, r\n"
                         "print('ok')\n");
    CHECK_MESSAGE(gh.out == "ok\n", gh.out, gh.err);
  }

  TEST_CASE("GitLab and Jenkins pin dockgate and the scanners") {
    auto gl = yaml_query(example("gitlab/dockgate.gitlab-ci.yml"),
                         "v=d['variables']\n"
                         "import re\n"
                         "assert re.fullmatch(r'v\\d+\\.\\d+\\.\\d+', v['DOCKGATE_REF']), v['DOCKGATE_REF']\n"
                         "for k in ('DOCKGATE_VERSION','HADOLINT_VERSION','TRIVY_VERSION','GRYPE_VERSION','BANDIT_VERSION'):\n"
                         "  assert re.fullmatch(r'\\d+\\.\\d+\\.\\d+', v[k]), k\n"
                         "s='\\n'.join(d['dockgate']['script'])+'\\n'.join(d['.dockgate-install']['before_script'])\n"
                         "assert s.count('sha256sum -c') == 2 and s.count('\\n  check ') == 3, s\n"
                         "print('ok')\n");
    CHECK_MESSAGE(gl.out == "ok\n", gl.out, gl.err);
    auto jf = test::read(example("jenkins/Jenkinsfile"));
    for (auto* needle : {"DOCKGATE_VERSION = '", "HADOLINT_VERSION = '", "TRIVY_VERSION = '", "GRYPE_VERSION = '"})
      CHECK_MESSAGE(jf.find(needle) != std::string::npos, needle);
    CHECK(jf.find("sha256sum -c") != std::string::npos);
    std::size_t checks = 0;
    for (auto at = jf.find("\n            check "); at != std::string::npos; at = jf.find("\n            check ", at + 1)) ++checks;
    CHECK(checks == 4);  // dockgate, hadolint, trivy, grype
  }
}
