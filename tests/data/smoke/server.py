#!/usr/bin/python3
"""A service for the smoke-test tests: an HTTP server on 127.0.0.1 that misbehaves on request.

  --port N            port to listen on (127.0.0.1 only)
  --ready-after S     do not listen for S seconds (connection refused meanwhile)
  --never-ready       never listen; keep printing start-up noise
  --status CODE       answer every request with CODE (default 200)
  --body TEXT         response body (default {"status": "ok"})
  --pad N             put N bytes of "a" before the body (a large response)
  --stream            after the body, send "a" without end and no Content-Length
  --ignore-sigterm    ignore SIGTERM (only SIGKILL stops it)
  --exit-after S      exit with status 3 after S seconds
  --max-lifetime S    stop by itself after S seconds whatever happens (default 60)
  --pid-file F        write the pid there
  --setsid-child F    fork a child that calls setsid() (leaving the process group, as a daemon
                      does), writes its pid to F and sleeps; it must not outlive dockgate
Prints one log line per request on stdout.
"""
import argparse
import http.server
import os
import signal
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ready-after", type=float, default=0)
    ap.add_argument("--never-ready", action="store_true")
    ap.add_argument("--status", type=int, default=200)
    ap.add_argument("--body", default='{"status": "ok"}')
    ap.add_argument("--pad", type=int, default=0)
    ap.add_argument("--stream", action="store_true")
    ap.add_argument("--ignore-sigterm", action="store_true")
    ap.add_argument("--exit-after", type=float, default=0)
    ap.add_argument("--max-lifetime", type=float, default=60)
    ap.add_argument("--pid-file")
    ap.add_argument("--setsid-child")
    a = ap.parse_args()

    if a.ignore_sigterm:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if a.pid_file:
        with open(a.pid_file, "w") as f:
            f.write(str(os.getpid()))
    if a.setsid_child:
        if os.fork() == 0:
            os.setsid()
            with open(a.setsid_child + ".tmp", "w") as f:
                f.write(str(os.getpid()))
            os.rename(a.setsid_child + ".tmp", a.setsid_child)
            time.sleep(a.max_lifetime)
            os._exit(0)
    # Whatever the test does, this process does not outlive it by much.
    threading.Timer(a.max_lifetime, lambda: os._exit(0)).start()
    if a.exit_after:
        threading.Timer(a.exit_after, lambda: (print("fatal: giving up", flush=True), os._exit(3))).start()

    print(f"server: starting on 127.0.0.1:{a.port} (pid {os.getpid()})", flush=True)
    if a.never_ready:
        n = 0
        while True:
            n += 1
            print(f"server: waiting for the database (attempt {n})", flush=True)
            time.sleep(0.2)
    if a.ready_after:
        print(f"server: warming up for {a.ready_after}s", flush=True)
        time.sleep(a.ready_after)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"a" * a.pad + a.body.encode()
            self.send_response(a.status)
            self.send_header("Content-Type", "application/json")
            if not a.stream:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
                while a.stream:
                    self.wfile.write(b"a" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, fmt, *args):
            print("server: request " + (fmt % args), flush=True)

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    print(f"server: listening on 127.0.0.1:{a.port}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
