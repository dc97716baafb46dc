#!/usr/bin/python3
"""Renders a trivy JSON report (schema v2) through trivy's contrib/junit.tpl, as
`trivy convert --format template --template @contrib/junit.tpl` does: the template's text below
is trivy's, line for line, with Go's text/template replaced by the same loops in Python and
escapeXML by Go's xml.EscapeText. Usage: render_trivy_junit.py REPORT.json OUT.xml"""
import json
import sys


def escape_xml(s):
    # encoding/xml EscapeText: " ' & < > and tab, newline, carriage return as character references.
    table = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;",
             "\t": "&#x9;", "\n": "&#xA;", "\r": "&#xD;"}
    return "".join(table.get(c, c) for c in s or "")


def render(results):
    out = ['<?xml version="1.0" ?>\n<testsuites name="trivy">']
    for r in results:
        vulns = r.get("Vulnerabilities") or []
        out.append('\n    <testsuite tests="%d" failures="%d" name="%s" errors="0" skipped="0" time="">'
                   % (len(vulns), len(vulns), r.get("Target", "")))
        if r.get("Type", ""):
            out.append('\n        <properties>\n            <property name="type" value="%s"></property>\n'
                       '        </properties>' % r["Type"])
        out.append("\n        ")
        for v in vulns:
            out.append('\n        <testcase classname="%s-%s" name="[%s] %s" time="">\n'
                       '            <failure message="%s" type="description">%s</failure>\n        </testcase>'
                       % (v.get("PkgName", ""), v.get("InstalledVersion", ""), v.get("Severity", ""),
                          v.get("VulnerabilityID", ""), escape_xml(v.get("Title")), escape_xml(v.get("Description"))))
        out.append("\n    </testsuite>")
        summary = r.get("MisconfSummary")
        if summary:
            out.append('\n    <testsuite tests="%d" failures="%d" name="%s" errors="0" skipped="%d" time="">'
                       % (summary.get("Successes", 0) + summary.get("Failures", 0), summary.get("Failures", 0),
                          r.get("Target", ""), summary.get("Exceptions", 0)))
        else:
            out.append('\n    <testsuite tests="0" failures="0" name="%s" errors="0" skipped="0" time="">'
                       % r.get("Target", ""))
        if r.get("Type", ""):
            out.append('\n        <properties>\n            <property name="type" value="%s"></property>\n'
                       '        </properties>' % r["Type"])
        out.append("\n        ")
        for m in r.get("Misconfigurations") or []:
            out.append('\n        <testcase classname="%s" name="[%s] %s" time="">' % (m.get("Type", ""), m.get("Severity", ""), m.get("ID", "")))
            if m.get("Status") == "FAIL":
                out.append('\n            <failure message="%s" type="description">%s</failure>'
                           % (escape_xml(m.get("Title")), escape_xml(m.get("Description"))))
            out.append("\n        </testcase>")
        out.append("\n    </testsuite>")
    out.append("\n</testsuites>\n")
    return "".join(out)


report = json.load(open(sys.argv[1]))
open(sys.argv[2], "w").write(render(report.get("Results") or []))
