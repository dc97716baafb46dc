#!/usr/bin/python3
"""Builds small hostile images for the hardening tests (issue 16), with Python's tarfile only.

  hostile.py oci DIR [--tamper] [--fifo-layer]
      An OCI image layout with one uncompressed layer. --tamper changes one byte of a file's
      content in the layer blob after its digest was taken (the tar stays valid, the size too).
      --fifo-layer puts a FIFO where the layer blob should be.
  hostile.py sparse-archive FILE
      A docker-save archive whose layer lists two sparse files that claim 9,223,372,036,854,775,800
      bytes each and one of 26: the sizes add up to 2**64 + 10, which a 64-bit sum reads as 10.
"""
import hashlib
import io
import json
import os
import sys
import tarfile


def tar_bytes(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for info, data in members:
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def file_info(name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1700000000
    return info, data


def sparse_info(name, real_size):
    # GNU sparse format 0.1 in PAX records: the map says no data is stored; the real size is
    # what the entry claims to be.
    info = tarfile.TarInfo(name)
    info.size = 0
    info.mtime = 1700000000
    info.pax_headers = {
        "GNU.sparse.major": "0",
        "GNU.sparse.minor": "1",
        "GNU.sparse.name": name,
        "GNU.sparse.size": str(real_size),
        "GNU.sparse.numblocks": "1",
        "GNU.sparse.map": "0,0",
    }
    return info, None


def config_json(diff_id):
    return json.dumps({
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"User": "app"},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "COPY app /app"}],
    }).encode()


def sha(b):
    return hashlib.sha256(b).hexdigest()


def oci(dir_, tamper, fifo_layer):
    content = b"print('hello')\n" * 64
    layer = tar_bytes([file_info("app/main.py", content)])
    layer_digest = sha(layer)
    if tamper:
        at = layer.index(content) + 7
        layer = layer[:at] + b"X" + layer[at + 1:]
    cfg = config_json("sha256:" + layer_digest)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + sha(cfg),
                   "size": len(cfg)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + layer_digest,
                    "size": len(layer)}],
    }).encode()
    index = json.dumps({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:" + sha(manifest),
                       "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "v1"}}],
    }).encode()
    blobs = os.path.join(dir_, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    with open(os.path.join(dir_, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion": "1.0.0"}')
    with open(os.path.join(dir_, "index.json"), "wb") as f:
        f.write(index)
    for b in (cfg, manifest):
        with open(os.path.join(blobs, sha(b)), "wb") as f:
            f.write(b)
    if fifo_layer:
        os.mkfifo(os.path.join(blobs, layer_digest))
    else:
        with open(os.path.join(blobs, layer_digest), "wb") as f:
            f.write(layer)


def sparse_archive(path):
    huge = 9223372036854775800
    layer = tar_bytes([sparse_info("big1", huge), sparse_info("big2", huge), file_info("small", b"x" * 26)])
    cfg = config_json("sha256:" + sha(layer))
    manifest = json.dumps([{"Config": sha(cfg) + ".json", "RepoTags": ["hostile:sparse"],
                            "Layers": [sha(layer) + "/layer.tar"]}]).encode()
    members = [file_info("manifest.json", manifest), file_info(sha(cfg) + ".json", cfg),
               file_info(sha(layer) + "/layer.tar", layer)]
    with open(path, "wb") as f:
        f.write(tar_bytes(members))


if __name__ == "__main__":
    if sys.argv[1] == "oci":
        oci(sys.argv[2], "--tamper" in sys.argv, "--fifo-layer" in sys.argv)
    elif sys.argv[1] == "sparse-archive":
        sparse_archive(sys.argv[2])
    else:
        sys.exit("usage: hostile.py oci DIR [--tamper] [--fifo-layer] | sparse-archive FILE")
