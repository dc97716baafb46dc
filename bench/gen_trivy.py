#!/usr/bin/env python3
"""Writes a large, realistic trivy schema-v2 report by replaying the real vulnerability entries of a
corpus report with varied ids and packages, so the benchmark parses real shapes at real sizes."""
import json, sys

def main():
    src, out, target_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    first = int(sys.argv[4]) if len(sys.argv) > 4 else 0  # where the ids start: distinct shards
    with open(src, encoding="utf-8") as f:
        report = json.load(f)
    vulns = [v for r in (report.get("Results") or []) for v in (r.get("Vulnerabilities") or [])]
    if not vulns:
        sys.exit("no vulnerabilities in " + src)
    target = int(target_mb * 1024 * 1024)
    results, size, i = [], 0, first
    while size < target:
        batch = []
        for v in vulns:
            w = dict(v)
            w["VulnerabilityID"] = "CVE-%d-%05d" % (2000 + i % 25, i % 99991)
            w["PkgName"] = "%s-%d" % (v.get("PkgName", "pkg"), i % 5000)
            batch.append(w)
            i += 1
        chunk = {"Target": "bench-image (debian 12.%d)" % (len(results) % 10), "Class": "os-pkgs", "Type": "debian",
                 "Vulnerabilities": batch}
        size += len(json.dumps(chunk, indent=2))
        results.append(chunk)
    report["Results"] = results
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    print("%s: %d vulnerabilities" % (out, i - first))

if __name__ == "__main__":
    main()
