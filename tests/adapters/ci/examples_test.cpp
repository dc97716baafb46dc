// The copyable CI examples under ci-examples/ are checked by independent validators: GitHub files
// with action-validator, the GitLab template with GitLab's own CI JSON schema, the pre-push hook
// with bash -n (and shellcheck when present). No Jenkins here: the Jenkinsfile gets a structural
// check (balanced delimiters outside strings and comments, the required steps present).
#include <cstring>
#include <filesystem>

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
    auto broken = test::run_process({"/usr/bin/python3", "-c",
                                     "import json,sys; d=json.load(open(sys.argv[1])); d['dockgate']['script']=42;"
                                     "json.dump(d, open(sys.argv[2],'w'))",
                                     (tmp / "ci.json").string(), (tmp / "broken.json").string()});
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

  TEST_CASE("pre-push hook parses and blocks only on a policy failure") {
    auto hook = example("hooks/pre-push").string();
    CHECK(test::run_process({"bash", "-n", hook}).code == 0);
    if (test::need_program("shellcheck")) {
      auto sc = test::run_process({"shellcheck", hook});
      CHECK_MESSAGE(sc.code == 0, sc.out);
    }
    test::TempDir tmp;
    // A stand-in dockgate that records its arguments and exits with $FAKE_EXIT.
    test::write(tmp / "dockgate", "#!/bin/sh\necho \"$@\" >> \"$FAKE_LOG\"\nexit \"$FAKE_EXIT\"\n");
    std::filesystem::permissions(tmp / "dockgate", std::filesystem::perms::owner_all);
    const std::string push = "refs/heads/x 1111111111111111111111111111111111111111 refs/heads/x "
                             "0000000000000000000000000000000000000000\n";
    auto run = [&](const std::string& exit_code, const std::string& stdin_data, std::map<std::string, std::string> extra = {}) {
      std::map<std::string, std::string> env{{"DOCKGATE_BIN", (tmp / "dockgate").string()},
                                             {"FAKE_EXIT", exit_code},
                                             {"FAKE_LOG", (tmp / "calls").string()},
                                             {"DOCKGATE_SKIP", ""}};
      for (auto& [k, v] : extra) env[k] = v;
      return test::run_process({"bash", hook, "origin", "git@example:repo.git"}, env, stdin_data, 30, tmp.path);
    };
    CHECK(run("0", push).code == 0);
    auto fail = run("1", push);
    CHECK(fail.code == 1);
    CHECK(fail.err.find("policy failed") != std::string::npos);
    auto broken = run("4", push);
    CHECK(broken.code == 0);
    CHECK(broken.err.find("could not run") != std::string::npos);
    CHECK(test::read(tmp / "calls").find("run --only lint,bandit") != std::string::npos);

    std::filesystem::remove(tmp / "calls");
    CHECK(run("1", push, {{"DOCKGATE_SKIP", "1"}}).code == 0);
    CHECK(run("1", "refs/heads/x 0000000000000000000000000000000000000000 refs/heads/x 1111111111111111111111111111111111111111\n").code == 0);
    CHECK_FALSE(std::filesystem::exists(tmp / "calls"));  // skipped and delete-only pushes run nothing
  }
}
