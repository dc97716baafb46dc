#!/usr/bin/env python3
"""Runs the steps of a ci-examples file in order, the way its CI platform runs them, and prints
what happened as JSON: which steps ran, with which exit code, what was uploaded or recorded, and
the job's final exit code.

  run_example.py github  ACTION_YML  WORKDIR [--input k=v ...]
  run_example.py gitlab  TEMPLATE    WORKDIR --job NAME [--job NAME ...] [--var K=V ...]
  run_example.py jenkins JENKINSFILE WORKDIR [--credential ID=VALUE ...]

Only the platform semantics that decide whether reports reach the PR are modelled, each after
the platform's documentation:
  GitHub  `shell: bash` runs `bash --noprofile --norc -eo pipefail {0}`; a step's `if:` without a
          status function means `success() && ...`; `uses:` steps are recorded, not run.
  GitLab  before_script + script run in one bash with `set -eo pipefail`; artifacts are uploaded
          on failure only with `when: always`; a job runs after a failed one only with
          `when: always`.
  Jenkins `sh` runs `sh -xe`; a failed stage skips the stages after it; `post { always }` runs
          anyway; `sh(returnStatus: true)` never fails.
Anything else in the file (an unknown expression, a Groovy statement this runner does not know)
is an error, so a test can never pass by skipping a step it did not understand.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml


class Unsupported(Exception):
    pass


def run_shell(argv_prefix, script, env, cwd):
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False, dir=cwd) as f:
        f.write(script)
        path = f.name
    try:
        p = subprocess.run(argv_prefix + [path], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(path)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------- GitHub Actions

TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+)|(?P<op>==|!=|&&|\|\||!|\(|\)|,)|(?P<id>[A-Za-z_][\w.-]*))")


def gh_eval(expr, ctx, status):
    """A GitHub expression: literals, context paths, == != && || !, always() success() failure()."""
    toks, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise Unsupported("expression: " + expr)
        pos = m.end()
        toks.append((m.lastgroup, m.group(m.lastgroup)))
    i = 0

    def peek():
        return toks[i] if i < len(toks) else (None, None)

    def take():
        nonlocal i
        i += 1
        return toks[i - 1]

    def primary():
        kind, v = take()
        if kind == "str":
            return v[1:-1].replace("''", "'")
        if kind == "num":
            return int(v)
        if kind == "op" and v == "(":
            x = orexpr()
            take()
            return x
        if kind == "op" and v == "!":
            return not truthy(primary())
        if kind == "id":
            if peek() == ("op", "("):
                take()
                take()  # ')': no function here takes arguments
                if v in status:
                    return status[v]
                raise Unsupported("function " + v)
            if v in ("true", "false"):
                return v == "true"
            node = ctx
            for part in v.split("."):
                node = node.get(part, "") if isinstance(node, dict) else ""
            return node
        raise Unsupported("expression: " + expr)

    def truthy(x):
        return x not in ("", None, False, 0)

    def cmp():
        a = primary()
        while peek() in (("op", "=="), ("op", "!=")):
            _, op = take()
            b = primary()
            eq = str(a).lower() == str(b).lower() if isinstance(a, str) or isinstance(b, str) else a == b
            a = eq if op == "==" else not eq
        return a

    def andexpr():
        a = cmp()
        while peek() == ("op", "&&"):
            take()
            b = cmp()
            a = b if truthy(a) else a
        return a

    def orexpr():
        a = andexpr()
        while peek() == ("op", "||"):
            take()
            b = andexpr()
            a = a if truthy(a) else b
        return a

    value = orexpr()
    if i != len(toks):
        raise Unsupported("expression: " + expr)
    return value


def gh_interpolate(text, ctx, status):
    def repl(m):
        v = gh_eval(m.group(1), ctx, status)
        return "" if v is None else ("true" if v is True else "false" if v is False else str(v))

    return re.sub(r"\$\{\{(.*?)\}\}", repl, str(text))


def run_github(action_file, work, inputs):
    action = yaml.safe_load(open(action_file))
    if action["runs"]["using"] != "composite":
        raise Unsupported("only composite actions")
    temp = os.path.join(work, "runner-temp")
    os.makedirs(temp, exist_ok=True)
    files = {k: os.path.join(temp, k.lower()) for k in ("GITHUB_OUTPUT", "GITHUB_PATH", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")}
    ins = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
    ctx = {"github": {"job": os.environ.get("GITHUB_JOB", "scan"), "token": os.environ.get("GITHUB_TOKEN", ""),
                      "action_path": os.path.dirname(os.path.abspath(action_file)), "action_ref": "",
                      "action_repository": "", "repository": os.environ.get("GITHUB_REPOSITORY", ""),
                      "server_url": os.environ.get("GITHUB_SERVER_URL", "https://github.com"),
                      "sha": os.environ.get("GITHUB_SHA", "")},
           "runner": {"temp": temp, "os": "Linux", "arch": "X64"}, "steps": {}}
    # Input defaults may be expressions (token: ${{ github.token }}).
    ins = {k: gh_interpolate(v, ctx, {}) for k, v in ins.items()}
    ins.update(inputs)
    ctx["inputs"] = ins
    extra_path = []
    failed = False
    report = {"steps": [], "uses": [], "final": 0}
    for step in action["runs"]["steps"]:
        status = {"always": True, "success": not failed, "failure": failed, "cancelled": False}
        cond = step.get("if", "")
        cond = cond.strip()
        if cond.startswith("${{"):
            cond = cond[3:].rstrip()[:-2]
        if not cond:
            cond = "success()"
        elif not re.search(r"\b(always|success|failure|cancelled)\(", cond):
            cond = "success() && (" + cond + ")"
        name = step.get("name", step.get("uses", step.get("id", "?")))
        entry = {"name": name, "ran": False}
        report["steps"].append(entry)
        ok = gh_eval(cond, ctx, status)
        if ok in ("", None, False, 0):
            continue
        entry["ran"] = True
        sid = step.get("id")
        outputs = {}
        if "uses" in step:
            with_ = {k: gh_interpolate(v, ctx, status) for k, v in step.get("with", {}).items()}
            entry["uses"] = step["uses"]
            entry["with"] = with_
            if step["uses"].startswith("github/codeql-action/upload-sarif@"):
                entry["file_exists"] = os.path.isfile(with_.get("sarif_file", ""))
                if not entry["file_exists"]:
                    failed = True  # the upload action fails on a missing file
            if step["uses"].startswith("actions/cache@"):
                outputs["cache-hit"] = "false"
            entry["code"] = 0
        else:
            if step.get("shell") != "bash":
                raise Unsupported("shell " + str(step.get("shell")))
            env = dict(os.environ)
            env["PATH"] = ":".join(list(reversed(extra_path)) + [env.get("PATH", "")])
            env.update({"RUNNER_TEMP": temp, "GITHUB_WORKSPACE": work, "GITHUB_ACTION_PATH": ctx["github"]["action_path"],
                        "CI": "true", "GITHUB_ACTIONS": "true"})
            for k, f in files.items():
                env[k] = f
            open(files["GITHUB_OUTPUT"], "w").close()
            open(files["GITHUB_PATH"], "w").close()
            for k, v in step.get("env", {}).items():
                env[k] = gh_interpolate(v, ctx, status)
            code, out, err = run_shell(["bash", "--noprofile", "--norc", "-eo", "pipefail"], step["run"], env, work)
            entry.update({"code": code, "stdout": out[-4000:], "stderr": err[-4000:]})
            text = open(files["GITHUB_OUTPUT"]).read()
            for line in text.splitlines():
                if "=" in line:
                    k, v = line.split("=", 1)
                    outputs[k] = v
            extra_path += [p for p in open(files["GITHUB_PATH"]).read().splitlines() if p]
            if code != 0:
                failed = True
                report["final"] = code
        if sid:
            ctx["steps"][sid] = {"outputs": outputs, "outcome": "failure" if entry.get("code") else "success"}
    report["failed"] = failed
    return report


# ---------------------------------------------------------------- GitLab CI

def gl_job(doc, name):
    job = dict(doc[name])
    seen = set()
    while "extends" in job:
        base = job.pop("extends")
        if base in seen:
            raise Unsupported("extends loop")
        seen.add(base)
        merged = dict(doc[base])
        merged.update(job)
        job = merged
    return job


def run_gitlab(template, work, jobs, variables):
    doc = yaml.safe_load(open(template))
    glob_vars = {k: (v["value"] if isinstance(v, dict) else str(v)) for k, v in doc.get("variables", {}).items()}
    report = {"jobs": [], "final": 0}
    any_failed = False
    for name in jobs:
        job = gl_job(doc, name)
        entry = {"name": name, "ran": False}
        report["jobs"].append(entry)
        whens = [r.get("when", "on_success") for r in job.get("rules", []) if "if" in r]
        when = job.get("when", whens[0] if whens else "on_success")
        if any_failed and when != "always":
            continue
        entry["ran"] = True
        env = dict(os.environ)
        env.update(glob_vars)
        env.update({k: str(v) for k, v in job.get("variables", {}).items()})
        env.update(variables)
        env.update({"CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": work, "CI_JOB_NAME": name})
        lines = []
        for key in ("before_script", "script"):
            for item in job.get(key, []):
                lines.append(item)
        code, out, err = run_shell(["bash", "--noprofile", "--norc"], "set -eo pipefail\n" + "\n".join(lines), env, work)
        entry.update({"code": code, "stdout": out[-4000:], "stderr": err[-4000:]})
        art = job.get("artifacts", {})
        if code == 0 or art.get("when") == "always":
            entry["artifacts"] = sorted(p for pat in art.get("paths", []) for p in glob.glob(os.path.join(work, pat)))
            entry["reports"] = {k: sorted(glob.glob(os.path.join(work, v))) for k, v in art.get("reports", {}).items()}
        if code != 0:
            any_failed = True
        report["final"] = code
    return report


# ---------------------------------------------------------------- Jenkins

def groovy_string(s, i):
    """The literal at s[i] and the index after it. Triple-quoted and single-quoted Groovy strings
    process backslash escapes; a backslash before a newline joins the lines."""
    for q in ("'''", '"""', "'", '"'):
        if s.startswith(q, i):
            break
    else:
        raise Unsupported("string expected at " + s[i:i + 30])
    j, out = i + len(q), []
    while not s.startswith(q, j):
        if j >= len(s):
            raise Unsupported("unterminated string")
        c = s[j]
        if c == "\\":
            n = s[j + 1]
            out.append({"n": "\n", "t": "\t", "\n": ""}.get(n, n))
            j += 2
            continue
        out.append(c)
        j += 1
    return "".join(out), j + len(q), q


def skip_space(s, i, newlines=True):
    while i < len(s):
        if s.startswith("//", i):
            i = s.find("\n", i)
            if i < 0:
                return len(s)
        elif s[i] in " \t\r" or (newlines and s[i] == "\n"):
            i += 1
        else:
            break
    return i


def balanced(s, i):
    """s[i] is an opening bracket: the index after its match (strings and comments skipped)."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    while i < len(s):
        if s.startswith("//", i):
            i = s.find("\n", i)
            continue
        c = s[i]
        if c in "'\"":
            _, i, _ = groovy_string(s, i)
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                raise Unsupported("unbalanced " + c)
            if not stack:
                return i + 1
        i += 1
    raise Unsupported("unclosed bracket")


def statements(body):
    """Splits a Groovy block body into (head, args_text, block_text) statements."""
    out, i = [], 0
    while True:
        i = skip_space(body, i)
        if i >= len(body):
            return out
        m = re.compile(r"[A-Za-z_][\w.]*").match(body, i)
        if not m:
            raise Unsupported("statement at: " + body[i:i + 40])
        head, i = m.group(0), m.end()
        args, block = "", None
        j = skip_space(body, i, newlines=False)
        if body.startswith("=", j):  # env.X = call(...)...
            k = skip_space(body, j + 1)
            end = body.find("\n", balanced(body, body.index("(", k)))
            end = len(body) if end < 0 else end
            out.append((head, body[k:end].strip(), None))
            i = end
            continue
        if body.startswith("(", j):
            end = balanced(body, j)
            args, j = body[j + 1:end - 1], end
        elif not body.startswith("{", j) and not body.startswith("\n", j):
            # Command syntax: the arguments run to the end of the line.
            k = j
            while k < len(body) and body[k] != "\n":
                if body[k] in "'\"":
                    _, k, _ = groovy_string(body, k)
                elif body[k] in "([":
                    k = balanced(body, k)
                else:
                    k += 1
            args, j = body[j:k], k
        j2 = skip_space(body, j, newlines=False)
        if body.startswith("{", j2):
            end = balanced(body, j2)
            block, j = body[j2 + 1:end - 1], end
        out.append((head, args.strip(), block))
        i = j


def named_string(args, key):
    m = re.search(r"\b" + key + r"\s*:\s*", args)
    if not m:
        return None
    return groovy_string(args, m.end())[0]


def gstring(value, env):
    def repl(m):
        v = env.get(m.group(1), "")
        return v if v else (m.group(2) or "")

    return re.sub(r"\$\{env\.(\w+)(?:\s*\?:\s*'([^']*)')?\}", repl, value)


def run_jenkins(jenkinsfile, work, credentials):
    text = open(jenkinsfile).read()
    top = statements(text)
    if len(top) != 1 or top[0][0] != "pipeline":
        raise Unsupported("a single pipeline block")
    env = dict(os.environ)
    env.update({"WORKSPACE": work, "CI": "true"})
    report = {"stages": [], "recorded": [], "final": 0}
    sections = {h: b for h, _, b in statements(top[0][2])}
    for line in sections.get("environment", "").splitlines():
        m = re.match(r"\s*(\w+)\s*=\s*(\S.*)$", line)
        if not m:
            if line.strip() and not line.strip().startswith("//"):
                raise Unsupported("environment line " + line)
            continue
        literal, _, q = groovy_string(m.group(2), 0)
        env[m.group(1)] = gstring(literal, env) if q in ('"', '"""') else literal
    failed = [False]

    class StageFailed(Exception):
        def __init__(self, code):
            super().__init__(code)
            self.code = code

    def do_sh(script, stage):
        code, out, err = run_shell(["sh", "-xe"], script, env, work)
        stage.setdefault("sh", []).append({"code": code, "stdout": out[-4000:], "stderr": err[-4000:]})
        return code

    def run_steps(body, stage):
        for head, args, block in statements(body):
            if head == "script":
                run_steps(block, stage)
            elif head == "sh":
                script = named_string(args, "script") if "script:" in args else groovy_string(args, 0)[0]
                code = do_sh(script, stage)
                if code != 0 and "returnStatus: true" not in args:
                    raise StageFailed(code)
            elif head.startswith("env.") and args.startswith("sh("):
                inner = args[3:balanced(args, 2) - 1]
                if "returnStatus: true" not in inner:
                    raise Unsupported("sh assigned without returnStatus")
                env[head[4:]] = str(do_sh(named_string(inner, "script"), stage))
            elif head == "withCredentials":
                for cid, var in re.findall(r"credentialsId:\s*'([^']+)',\s*variable:\s*'([^']+)'", args):
                    env[var] = credentials.get(cid, "")
                run_steps(block, stage)
            elif head in ("junit", "archiveArtifacts", "recordIssues"):
                pattern = named_string(args, {"junit": "testResults", "archiveArtifacts": "artifacts",
                                              "recordIssues": "pattern"}[head])
                files = sorted(glob.glob(os.path.join(work, pattern), recursive=True))
                report["recorded"].append({"step": head, "pattern": pattern, "files": files})
            elif head == "error":
                raise StageFailed(1)
            else:
                raise Unsupported("Jenkins step " + head)

    for head, args, block in statements(sections["stages"]):
        if head != "stage":
            raise Unsupported("stages holds " + head)
        name = groovy_string(args, 0)[0]
        stage = {"name": name, "ran": False}
        report["stages"].append(stage)
        parts = {h: b for h, _, b in statements(block)}
        if set(parts) - {"when", "steps", "post"}:
            raise Unsupported("stage part " + str(set(parts)))
        if failed[0]:
            continue  # a failed stage skips the ones after it
        if "when" in parts:
            conds = statements(parts["when"])
            if [h for h, _, _ in conds] != ["changeRequest"]:
                raise Unsupported("when " + parts["when"])
            if not env.get("CHANGE_ID"):
                continue
        stage["ran"] = True
        try:
            run_steps(parts["steps"], stage)
        except StageFailed as e:
            failed[0] = True
            report["final"] = e.code
            stage["failed"] = e.code
        if "post" in parts:
            post = {h: b for h, _, b in statements(parts["post"])}
            if set(post) - {"always"}:
                raise Unsupported("post " + str(set(post)))
            run_steps(post.get("always", ""), stage)
    return report


def main(argv):
    platform, file, work = argv[1], argv[2], os.path.abspath(argv[3])
    opts = {}
    rest = argv[4:]
    for k, v in zip(rest[::2], rest[1::2]):
        opts.setdefault(k, []).append(v)
    pairs = lambda key: dict(x.split("=", 1) for x in opts.get(key, []))
    try:
        if platform == "github":
            report = run_github(file, work, pairs("--input"))
        elif platform == "gitlab":
            report = run_gitlab(file, work, opts.get("--job", []), pairs("--var"))
        elif platform == "jenkins":
            report = run_jenkins(file, work, pairs("--credential"))
        else:
            raise Unsupported("platform " + platform)
    except Unsupported as e:
        print(json.dumps({"unsupported": str(e)}))
        return 2
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
