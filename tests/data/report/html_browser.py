#!/usr/bin/env python3
"""Loads a local HTML file in headless Debian chromium and reports, as JSON on stdout, what the
page did: console messages, uncaught exceptions, browser log entries (CSP violations land there),
every request the page made (the Network domain sees each one, including those the CSP blocks),
navigation timings, and the DOM after the scripts ran (written to a file). It also saves a PNG
screenshot.

It talks to chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: fd 3 in,
fd 4 out, NUL-terminated JSON), so no port is opened. Names resolve to nothing
(--host-resolver-rules), so a request that did try to leave would fail instead of reaching out.

usage: html_browser.py PAGE.html OUT.png OUT-dom.html [--timeout S] [--shot-height PX] [--no-js]
                       [--eval EXPR]...
--no-js loads the page with scripts disabled; each --eval runs an expression after the load (in
order, so one can click and the next read) and its value goes to "evals" in the JSON.
Exit status: 0 when the page loaded (what it did is in the JSON), 2 on a usage error, 3 when
chromium could not load it in time."""
import argparse
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, deadline):
        self.deadline = deadline
        self.profile = tempfile.mkdtemp(prefix="dg-chromium-")
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()

        def wire():  # in the child: our pipe ends become chromium's fds 3 and 4
            a, b = os.dup(to_r), os.dup(from_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--remote-debugging-pipe", "--user-data-dir=" + self.profile, "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars", "--font-render-hinting=none",
                "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=wire)
        os.close(to_r)
        os.close(from_w)
        self.w, self.r = to_w, from_r
        self.buf = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.send("Browser.close", wait=False)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.w, self.r):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_one(self):
        while b"\0" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params=None, session=None, wait=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        if not wait:
            return None
        while True:
            m = self._read_one()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(method + ": " + json.dumps(m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method):
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                return self.events.pop(i)
        while True:
            m = self._read_one()
            if m.get("method") == method:
                return m
            self.events.append(m)


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("page")
    ap.add_argument("png")
    ap.add_argument("dom")
    ap.add_argument("--timeout", type=float, default=90)
    ap.add_argument("--shot-height", type=int, default=2400)
    ap.add_argument("--no-js", action="store_true")
    ap.add_argument("--eval", action="append", default=[])
    a = ap.parse_args()
    page, png, dom_out, timeout, shot_max = a.page, a.png, a.dom, a.timeout, a.shot_height
    evals = []
    url = "file://" + os.path.abspath(page)
    b = Browser(time.monotonic() + timeout)
    seen = []
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.send(domain + ".enable", session=s)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
        if a.no_js:
            b.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=s)
        b.events.clear()  # about:blank's own events
        t0 = time.monotonic()
        b.send("Page.navigate", {"url": url}, session=s)
        b.wait_event("Page.loadEventFired")
        wall_ms = (time.monotonic() - t0) * 1000
        def value(expr):
            r = b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=s)
            return r.get("result", {}).get("value")
        timing = json.loads(value(
            "JSON.stringify((function(){var n=performance.getEntriesByType('navigation')[0]||{};"
            "return {dom_content_loaded_ms:n.domContentLoadedEventEnd,load_ms:n.loadEventEnd,"
            "script_done_ms:Number(document.documentElement.getAttribute('data-dg-ready'))||null,"
            "height:document.documentElement.scrollHeight};})())"))
        timing["wall_ms"] = round(wall_ms)
        height = min(int(timing.get("height") or 900), shot_max)
        shot = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                 "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}},
                      session=s)
        with open(png, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        for expr in a.eval:
            evals.append(value(expr))
        with open(dom_out, "w", encoding="utf-8") as f:
            f.write(value("document.documentElement.outerHTML") or "")
        seen = list(b.events)
    except (TimeoutError, EOFError, RuntimeError) as e:
        print(json.dumps({"error": str(e)}))
        return 3
    finally:
        b.close()

    out = {"url": url, "console": [], "exceptions": [], "log": [], "requests": [], "blocked": [], "timing": timing,
           "evals": evals}
    for m in seen:
        p = m.get("params", {})
        meth = m.get("method")
        if meth == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
            out["console"].append({"type": p.get("type"), "text": text})
        elif meth == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            out["exceptions"].append(d.get("exception", {}).get("description") or d.get("text"))
        elif meth == "Log.entryAdded":
            e = p.get("entry", {})
            out["log"].append({"level": e.get("level"), "source": e.get("source"), "text": e.get("text")})
        elif meth == "Network.requestWillBeSent":
            out["requests"].append(p.get("request", {}).get("url"))
        elif meth == "Network.loadingFailed" and p.get("blockedReason"):
            out["blocked"].append(p.get("blockedReason"))
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
