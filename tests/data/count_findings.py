#!/usr/bin/python3
"""Counts the findings in a scanner report, independently of dockgate's parsers.

Usage: count_findings.py [--format FORMAT] REPORT...   -> one line per report: "COUNT PATH"
       count_findings.py --detect REPORT...            -> one line per report: "FAMILY VARIANT PATH"

Python standard library only. The format is recognized from the content (as dockgate does, but
with a separate, deliberately simple implementation) unless --format names it:
trivy, grype, hadolint, bandit-json, bandit-csv, bandit-xml, bandit-txt, bandit-html, sarif,
codeclimate, gitlab, asff.

What counts as one finding (the contract the corpus test checks dockgate's summary.total against):
  trivy        Vulnerabilities + Misconfigurations whose Status is not PASS/EXCEPTION + Secrets +
               Licenses, over every Result: schema v2, legacy v1 array, Kubernetes reports
               (ClusterName with Vulnerabilities/Misconfigurations/Resources lists of resources)
  grype        len(matches)
  hadolint     len(array)
  bandit       json: len(results); csv: data rows; xml: <testcase> count; txt: ">> Issue:" lines;
               html: issue blocks
  sarif        sum of len(results) over runs, less results of kind "pass" / "notApplicable"
  codeclimate  len(array)
  gitlab       len(vulnerabilities)   (container-scanning report)
  asff         len(Findings)
  dockgate     sum of len(findings) over steps (dockgate's own result JSON)

--detect prints what the report is (family and variant as dockgate names them), for the
recognition test.
"""
import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET


def trivy_results(doc):
    """Every trivy Result object, whatever the report shape."""
    if isinstance(doc, list):  # legacy (pre-0.20) top-level array of results
        return [r for r in doc if isinstance(r, dict)]
    results = list(doc.get("Results") or [])
    # Kubernetes reports: lists of resources, each with its own Results.
    for key in ("Vulnerabilities", "Misconfigurations", "Resources"):
        for resource in doc.get(key) or []:
            if isinstance(resource, dict):
                results.extend(resource.get("Results") or [])
    return results


def count_trivy(doc):
    n = 0
    for r in trivy_results(doc):
        n += len(r.get("Vulnerabilities") or [])
        n += sum(1 for m in (r.get("Misconfigurations") or [])
                 if str(m.get("Status", "")).upper() not in ("PASS", "EXCEPTION"))
        n += len(r.get("Secrets") or [])
        n += len(r.get("Licenses") or [])
    return n


def count_sarif(doc):
    # A result whose kind is "pass" or "notApplicable" reports that a check found nothing.
    return sum(1 for run in doc.get("runs") or [] for r in run.get("results") or []
               if str(r.get("kind", "fail")) not in ("pass", "notApplicable"))


JSON_COUNTERS = {
    "trivy": count_trivy,
    "grype": lambda d: len(d.get("matches") or []),
    "hadolint": len,
    "bandit-json": lambda d: len(d.get("results") or []),
    "sarif": count_sarif,
    "codeclimate": len,
    "gitlab": lambda d: len(d.get("vulnerabilities") or []),
    "asff": lambda d: len(d.get("Findings") or []),
    "dockgate": lambda d: sum(len(s.get("findings") or []) for s in d.get("steps") or []),
}

VARIANTS = {
    "grype": "grype-json", "hadolint": "hadolint-json", "bandit-json": "bandit-json", "sarif": "sarif",
    "codeclimate": "codeclimate", "gitlab": "gitlab-container-scanning", "asff": "asff",
    "dockgate": "dockgate-result", "bandit-csv": "bandit-csv", "bandit-xml": "bandit-xml",
    "bandit-txt": "bandit-txt", "bandit-html": "bandit-html",
}


def trivy_variant(doc):
    if isinstance(doc, list):
        return "trivy-json-v1"
    if "ClusterName" in doc or ("Resources" in doc and "SchemaVersion" not in doc):
        return "trivy-json-k8s"
    return "trivy-json-v2"


def describe(fmt, doc):
    family = fmt.split("-")[0]
    variant = trivy_variant(doc) if fmt == "trivy" else VARIANTS[fmt]
    return family, variant


def json_format(doc):
    if isinstance(doc, list):
        first = doc[0] if doc else {}
        if not isinstance(first, dict) or not first:
            return "hadolint"  # [] is hadolint's clean run
        if "code" in first and "level" in first:
            return "hadolint"
        if "Target" in first:
            return "trivy"
        if "check_name" in first or "fingerprint" in first:
            return "codeclimate"
        raise SystemExit("unknown JSON array, first element keys: %s" % sorted(first))
    if "runs" in doc:
        return "sarif"
    if "dockgate_version" in doc and "steps" in doc:
        return "dockgate"
    if "SchemaVersion" in doc or "ClusterName" in doc or ("Results" in doc and "ArtifactName" in doc):
        return "trivy"
    if "matches" in doc:
        return "grype"
    if "results" in doc and ("generated_at" in doc or "metrics" in doc):
        return "bandit-json"
    if "vulnerabilities" in doc:
        return "gitlab"
    if "Findings" in doc:
        return "asff"
    raise SystemExit("unknown JSON object, keys: %s" % sorted(doc))


def text_format(text):
    head = text.lstrip()[:4096]
    low = head.lower()
    if low.startswith("<"):
        return "bandit-html" if "<html" in low or "<!doctype html" in low else "bandit-xml"
    if head.startswith("filename,test_name,test_id"):
        return "bandit-csv"
    if ">> Issue:" in text or "Test results:" in text:
        return "bandit-txt"
    raise SystemExit("unknown text format: %r" % head[:60])


def count_text(fmt, text):
    if fmt == "bandit-csv":
        return sum(1 for _ in csv.DictReader(io.StringIO(text, newline="")))
    if fmt == "bandit-xml":
        return sum(1 for _ in ET.fromstring(text.encode("utf-8")).iter("testcase"))
    if fmt == "bandit-txt":
        return sum(1 for line in text.splitlines() if line.lstrip().startswith(">> Issue:"))
    if fmt == "bandit-html":
        return len(re.findall(r'class="issue-block\b', text))
    raise SystemExit("no counter for %s" % fmt)


def load(path, fmt=None):
    """(format, parsed document or text) of a report."""
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8-sig", errors="replace")
    if fmt in JSON_COUNTERS:
        return fmt, json.loads(text)
    if fmt:
        return fmt, text
    if text.lstrip()[:1] in ("{", "["):
        doc = json.loads(text)
        return json_format(doc), doc
    return text_format(text), text


def count(path, fmt=None):
    fmt, doc = load(path, fmt)
    if fmt in JSON_COUNTERS:
        return JSON_COUNTERS[fmt](doc)
    return count_text(fmt, doc)


def main(argv):
    args = argv[1:]
    fmt = None
    detect = "--detect" in args
    if detect:
        args.remove("--detect")
    if "--format" in args:
        i = args.index("--format")
        fmt = args[i + 1]
        del args[i:i + 2]
    if not args:
        raise SystemExit(__doc__)
    for path in args:
        if detect:
            family, variant = describe(*load(path, fmt))
            print(family, variant, path)
        else:
            print(count(path, fmt), path)


if __name__ == "__main__":
    main(sys.argv)
