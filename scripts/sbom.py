#!/usr/bin/python3
"""A CycloneDX 1.5 SBOM of a dockgate release, from what the build machine knows, no network.

Usage: scripts/sbom.py DEB VERSION [STATIC-DEV-PACKAGE...] > dockgate.cdx.json

Components: every package the .deb depends on (its Depends/Recommends, resolved to the versions
installed here with dpkg-query), and the -dev packages whose static archives the portable binary
links in (named on the command line). Standard library only.
"""
import json
import re
import subprocess
import sys
import uuid


def dpkg_field(deb, field):
    out = subprocess.run(["dpkg-deb", "-f", deb, field], capture_output=True, text=True, check=True).stdout
    return out.strip()


def installed_version(name):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}\t${Architecture}", name], capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        return None, None
    version, arch = r.stdout.split("\t")
    return version, arch


def names(relations):
    # "libc6 (>= 2.34), libcurl4 | libcurl4t64" -> the first alternative of each relation.
    out = []
    for rel in filter(None, (r.strip() for r in relations.split(","))):
        first = rel.split("|")[0].strip()
        out.append(re.sub(r"\s*\(.*\)", "", first).split(":")[0])
    return out


def component(name, scope):
    version, arch = installed_version(name)
    c = {"type": "library", "name": name, "scope": scope}
    if version:
        c["version"] = version
        c["purl"] = "pkg:deb/debian/%s@%s?arch=%s" % (name, version, arch)
        c["bom-ref"] = c["purl"]
    else:
        c["bom-ref"] = "pkg:deb/debian/%s" % name
    return c


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    deb, version, static = sys.argv[1], sys.argv[2], sys.argv[3:]
    comps, seen = [], set()
    for field, scope in (("Depends", "required"), ("Recommends", "optional")):
        for n in names(dpkg_field(deb, field)):
            if n not in seen:
                seen.add(n)
                comps.append(component(n, scope))
    for n in static:
        if n not in seen:
            seen.add(n)
            comps.append(component(n, "required"))
    me = "pkg:generic/dockgate@%s" % version
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        # Same inputs, same serial number: the SBOM of a release is reproducible.
        "serialNumber": "urn:uuid:%s" % uuid.uuid5(uuid.NAMESPACE_URL, me + "/" + ",".join(c["bom-ref"] for c in comps)),
        "version": 1,
        "metadata": {"component": {"type": "application", "name": "dockgate", "version": version, "bom-ref": me,
                                   "purl": me}},
        "components": comps,
        "dependencies": [{"ref": me, "dependsOn": [c["bom-ref"] for c in comps]}],
    }
    json.dump(bom, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
