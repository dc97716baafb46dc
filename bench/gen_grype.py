#!/usr/bin/env python3
"""Writes a large grype JSON report by replaying the real matches of a corpus report with varied ids."""
import json, sys

def main():
    src, out, target_mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with open(src, encoding="utf-8") as f:
        report = json.load(f)
    matches = report.get("matches") or []
    target = int(target_mb * 1024 * 1024)
    res, size, i = [], 0, 0
    while size < target:
        for m in matches:
            w = json.loads(json.dumps(m))
            w["vulnerability"]["id"] = "CVE-%d-%05d" % (2000 + i % 25, i % 99991)
            w["artifact"]["name"] = "%s-%d" % (w["artifact"].get("name", "pkg"), i % 5000)
            s = json.dumps(w, indent=1)
            size += len(s)
            res.append(w)
            i += 1
    report["matches"] = res
    with open(out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1)
    print("%s: %d matches" % (out, i))

if __name__ == "__main__":
    main()
