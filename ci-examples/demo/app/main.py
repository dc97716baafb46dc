"""A tiny HTTP service: the demo project that `dockgate run` is shown on.

GET /health answers {"status": "ok"}; GET /greet?name=X answers a greeting. Standard library
only, so the image needs nothing but Python.
"""
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/health":
            self._send(200, {"status": "ok"})
        elif url.path == "/greet":
            name = parse_qs(url.query).get("name", ["world"])[0]
            self._send(200, {"greeting": f"hello, {name}"})
        else:
            self._send(404, {"error": "not found"})

    def log_message(self, fmt, *args):
        print("demo: " + (fmt % args), flush=True)


def main():
    host = os.environ.get("HOST", "0.0.0.0")  # nosec B104: inside a container, published on loopback by dockgate
    port = int(os.environ.get("PORT", "8000"))
    server = ThreadingHTTPServer((host, port), Handler)
    # Stop promptly on SIGTERM (docker stop): the smoke test checks it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"demo: listening on {host}:{port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
