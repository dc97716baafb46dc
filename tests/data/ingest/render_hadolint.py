#!/usr/bin/python3
"""Writes a hadolint JSON report (-f json) again as hadolint's other formats would have printed
the same findings, following hadolint's formatters (src/Hadolint/Formatter/*.hs):
  checkstyle          Checkstyle.hs: one <file> per run of the same file, attributes in single
                      quotes, every character but [A-Za-z0-9 ./] as &#N;
  junit               JUnit.hs: <testsuites><testsuite id="hadolint"> with a <testcase
                      id="hadolint.rule.CODE"><failure type=LEVEL message id=CODE> per finding
  gitlab_codeclimate  Codeclimate.hs: a JSON array of issues with a fingerprint, levels as
                      blocker/major/info/minor
Usage: render_hadolint.py REPORT.json FORMAT OUT"""
import hashlib
import json
import sys
from xml.sax.saxutils import quoteattr, escape

findings = json.load(open(sys.argv[1]))
fmt, out = sys.argv[2], sys.argv[3]


def cs_escape(s):
    return "".join(c if (c.isascii() and (c.isalnum() or c in " ./")) else "&#%d;" % ord(c) for c in str(s))


if fmt == "checkstyle":
    body, i = "", 0
    while i < len(findings):
        name = findings[i]["file"]
        body += "<file name='%s' >" % cs_escape(name)
        while i < len(findings) and findings[i]["file"] == name:
            f = findings[i]
            body += "<error line='%s' column='%s' severity='%s' message='%s' source='%s' />" % (
                cs_escape(f["line"]), cs_escape(f.get("column", 1)), cs_escape(f["level"]),
                cs_escape(f["message"]), cs_escape(f["code"]))
            i += 1
        body += "</file>"
    text = "<?xml version='1.0' encoding='UTF-8'?><checkstyle version='4.3'>" + body + "</checkstyle>"
elif fmt == "junit":
    cases = ""
    for f in findings:
        content = "File: %s\nLine: %d\nCategory: Hadolint - Dockerfile Static Analysis\n%s: %s\n" % (
            f["file"], f["line"], f["level"], f["message"])
        cases += ('<testcase id="hadolint.rule.%s" time="0.001"><failure id=%s message=%s type=%s>%s</failure></testcase>'
                  % (f["code"], quoteattr(f["code"]), quoteattr(f["message"]), quoteattr(f["level"]), escape(content)))
    text = ('<?xml version="1.0" encoding="UTF-8"?><testsuites id="20261123_120000" name="Hadolint run at 2026-11-23 12:00:00" time="0.001">'
            '<testsuite errors="0" failures="%d" id="hadolint" name="Hadolint 2.12.0" time="0.001">%s</testsuite></testsuites>'
            % (len(findings), cases))
elif fmt == "gitlab_codeclimate":
    impact = {"error": "blocker", "warning": "major", "info": "info", "style": "minor"}
    issues = []
    for f in findings:
        issue = {"check_name": f["code"], "description": f["message"], "categories": ["Bug Risk"],
                 "location": {"path": f["file"], "lines": {"begin": f["line"], "end": f["line"]}},
                 "severity": impact[f["level"]], "type": "issue"}
        issue["fingerprint"] = hashlib.sha1(json.dumps(issue).encode()).hexdigest()
        issues.append(issue)
    text = json.dumps(issues)
else:
    sys.exit("unknown format " + fmt)
open(out, "w").write(text)
