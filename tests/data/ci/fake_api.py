#!/usr/bin/python3
"""A local stand-in for the GitHub REST and GitLab v4 endpoints dockgate publishes to.

Binds 127.0.0.1 on a free port, prints the port on the first line of stdout, and stops by itself
after --lifetime seconds or on GET /shutdown. Every request is checked against the documented
shapes (method, path, headers, JSON body) and logged as one JSON line to --log; a request that
breaks the contract gets HTTP 400 and a "violation" entry, so tests only need to read the log.

GitHub:  GET      /repos/{o}/{r}   (permissions: push with --token, pull only with --readonly-token)
         GET/POST /repos/{o}/{r}/issues/{n}/comments   (Link: rel="next" pagination)
         PATCH    /repos/{o}/{r}/issues/comments/{id}
         POST     /repos/{o}/{r}/check-runs, PATCH /repos/{o}/{r}/check-runs/{id}
         GET      /repos/{o}/{r}/pulls/{n}/comments   (review comments, Link pagination)
         POST     /repos/{o}/{r}/pulls/{n}/reviews    (a review with comments[]: each opens a thread)
         GET      /repos/{o}/{r}/pulls/{n}/files      (--pr-files; Link pagination)
         PATCH    /repos/{o}/{r}/pulls/comments/{id}
         POST     /graphql   (reviewThreads query, resolveReviewThread mutation; --graphql-refused
                              answers both with a FORBIDDEN error, as GitHub does for some tokens)
GitLab:  GET/POST /api/v4/projects/{id}/merge_requests/{iid}/notes   (X-Next-Page pagination)
         PUT      /api/v4/projects/{id}/merge_requests/{iid}/notes/{note_id}
         GET      /api/v4/projects/{id}/merge_requests/{iid}   (diff_refs)
         GET      /api/v4/projects/{id}/merge_requests/{iid}/diffs   (--pr-files; X-Next-Page pagination)
         GET/POST /api/v4/projects/{id}/merge_requests/{iid}/discussions   (X-Next-Page pagination)
         PUT      /api/v4/projects/{id}/merge_requests/{iid}/discussions/{id}?resolved=true

Review request bodies are checked against the shapes GitHub's REST reference documents for "Create a
review for a pull request" and "Update a review comment", GitHub's GraphQL reference for
PullRequest.reviewThreads and resolveReviewThread, and GitLab's Discussions API reference for
"Create new merge request thread" (position) and "Resolve a merge request thread".

Tokens: --token is allowed everything, --readonly-token may only read (403 on writes, like a fork
PR's token), anything else is 401. Faults (--faults 429,500@POST,ratelimit,retrydate,502@POST:/reviews)
are served in order to the first requests that match their method (and path suffix), after
authentication.
Standard library only, except jsonschema (Debian python3-jsonschema) for check-run bodies when
--openapi is given.
"""
import argparse
import email.utils
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GITHUB_COMMENT_MAX = 65536
GITLAB_NOTE_MAX = 1000000
MARKER_RE = re.compile(r"<!-- dockgate:[^>]*-->")


class State:
    def __init__(self, args):
        self.args = args
        self.lock = threading.RLock()  # re-entered: handlers answer (and log) while holding it
        self.next_id = 1000
        self.github = {}  # (owner/repo, number) -> [comment]
        self.gitlab = {}  # (project path, iid) -> [note]
        self.checks = {}  # id -> {"annotations": n, "status": ...}
        self.review_comments = {}  # (owner/repo, number) -> [review comment, with "thread"]
        self.threads = {}  # thread node id -> {"resolved": bool, "key": (repo, number)}
        self.discussions = {}  # (project, iid) -> [discussion]
        self.pr_files = []  # [{"path", "patch"}]: the change as GET .../pulls/N/files and .../diffs serve it
        if args.pr_files:
            with open(args.pr_files) as f:
                self.pr_files = json.load(f)
        self.faults = [f for f in args.faults.split(",") if f]
        self.log = open(args.log, "a", buffering=1) if args.log else None
        self.count = 0
        self.openapi = None
        if args.openapi:
            with open(args.openapi) as f:
                self.openapi = json.load(f)
            # The pull request review endpoints, from the same OpenAPI description (SOURCES.md).
            extra = os.path.join(os.path.dirname(os.path.abspath(__file__)), "github-rest-openapi-review-fragment.json")
            with open(extra) as f:
                self.openapi["paths"].update(json.load(f)["paths"])

    def new_id(self):
        self.next_id += 1
        return self.next_id

    def seed_github(self, key):
        if key not in self.github:
            items = []
            for i in range(self.args.seed):
                body = "Looks good to me (%d)" % i
                if i == 1:
                    body = "<!-- dockgate:someone-else -->\nanother pipeline's comment"
                items.append({"id": self.new_id(), "body": body, "user": {"login": "reviewer"}})
            self.github[key] = items
        return self.github[key]

    def seed_gitlab(self, key):
        if key not in self.gitlab:
            items = []
            for i in range(self.args.seed):
                # A system note that happens to quote a marker must never be taken for ours.
                system = i == 0
                body = "added 1 commit <!-- dockgate:%s -->" % self.args.system_marker_key if system else "nit %d" % i
                items.append({"id": self.new_id(), "body": body, "system": system,
                              "author": {"username": "reviewer"}, "noteable_type": "MergeRequest"})
            self.gitlab[key] = items
        return self.gitlab[key]

    def seed_review(self, key):
        if key not in self.review_comments:
            items = []
            for i in range(self.args.seed_review):
                # A person's review comment, and one that quotes another pipeline's marker.
                body = "nit: rename this (%d)" % i
                if i == 1:
                    body = "<!-- dockgate-review: 0123abcd key=someone-else -->\nanother pipeline's finding"
                c = {"id": self.new_id(), "body": body, "path": "README.md", "line": 1, "side": "RIGHT",
                     "user": {"login": "reviewer"}, "in_reply_to_id": None}
                c["thread"] = "PRRT_%d" % c["id"]
                self.threads[c["thread"]] = {"resolved": False, "key": key}
                items.append(c)
            self.review_comments[key] = items
        return self.review_comments[key]

    def take_fault(self, method, path=""):
        with self.lock:
            if not self.faults:
                return None
            head = self.faults[0]
            kind, _, only = head.partition("@")
            # 500@POST:/reviews: only a POST whose path ends so
            only_method, _, suffix = only.partition(":")
            if (only_method and only_method != method) or (suffix and not path.endswith(suffix)):
                return None
            self.faults.pop(0)
            return kind

    def write_log(self, entry):
        with self.lock:
            self.count += 1
            entry["n"] = self.count
            if self.log:
                self.log.write(json.dumps(entry, sort_keys=True) + "\n")


def resolve_schema(openapi, schema):
    """Inline the #/components refs of an OpenAPI request-body schema for jsonschema."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            ref = schema["$ref"]
            node = openapi
            for part in ref.lstrip("#/").split("/"):
                node = node[part]
            return resolve_schema(openapi, node)
        return {k: resolve_schema(openapi, v) for k, v in schema.items()}
    if isinstance(schema, list):
        return [resolve_schema(openapi, v) for v in schema]
    return schema


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-api/1"

    def log_message(self, fmt, *args):  # quiet: the JSON log is the record
        pass

    # -- plumbing ----------------------------------------------------------------------------
    def send_json(self, status, payload, headers=None):
        if status >= 400 and self.server.state.args.echo_headers and isinstance(payload, dict):
            # As some proxies and debug endpoints do: the request's headers, tokens and all.
            payload = dict(payload, message="%s (request headers: %s)" % (
                payload.get("message", ""), "; ".join("%s: %s" % kv for kv in self.headers.items())))
        data = json.dumps(payload).encode()
        # Log before answering: once the client has its answer it may read the log at once.
        self.entry["status"] = status
        if not self.entry.get("logged"):
            self.server.state.write_log(self.entry)
            self.entry["logged"] = True
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def violation(self, what):
        self.entry["violation"] = what
        self.send_json(400, {"message": "fake_api: " + what})

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")

    # -- dispatch ----------------------------------------------------------------------------
    def handle_any(self, method):
        st = self.server.state
        raw_path, _, query = self.path.partition("?")
        self.entry = {"method": method, "path": raw_path, "query": query}
        raw = self.read_body()
        try:
            self.route(method, raw_path, urllib.parse.parse_qs(query), raw)
        except Exception as e:  # a bug here must show in the log, not hang the client
            self.entry["violation"] = "server error: %r" % e
            self.entry.pop("logged", None)
            try:
                self.send_json(500, {"message": "fake_api crashed"})
            except Exception:
                pass
        if not self.entry.get("logged"):
            st.write_log(self.entry)
        if raw_path == "/shutdown":
            threading.Thread(target=self.server.shutdown, daemon=True).start()

    def route(self, method, path, query, raw):
        if path == "/shutdown":
            self.send_json(200, {"bye": True})
            return
        if path.startswith("/api/v4/"):
            self.entry["api"] = "gitlab"
            self.gitlab(method, path[len("/api/v4"):], query, raw)
        elif path.startswith("/repos/"):
            self.entry["api"] = "github"
            self.github(method, path, query, raw)
        elif path == "/graphql":
            self.entry["api"] = "github"
            self.github(method, path, query, raw)
        else:
            self.violation("unknown path " + path)

    # -- auth and faults ---------------------------------------------------------------------
    def access(self, token):
        a = self.server.state.args
        if token and token == a.token:
            return "write"
        if token and a.readonly_token and token == a.readonly_token:
            return "read"
        return None

    def fault(self, method):
        kind = self.server.state.take_fault(method, self.entry.get("path", ""))
        if not kind:
            return False
        self.entry["fault"] = kind
        if kind == "429":
            self.send_json(429, {"message": "slow down"}, {"Retry-After": "1"})
        elif kind == "retrydate":
            when = email.utils.formatdate(time.time() + 1, usegmt=True)
            self.send_json(429, {"message": "slow down"}, {"Retry-After": when})
        elif kind == "ratelimit":
            self.send_json(403, {"message": "API rate limit exceeded"},
                           {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + 1)})
        else:
            self.send_json(int(kind), {"message": "injected %s" % kind})
        return True

    def json_body(self, raw, allowed, required, limit):
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            self.violation("Content-Type must be application/json")
            return None
        try:
            body = json.loads(raw)
        except ValueError:
            self.violation("body is not JSON")
            return None
        if not isinstance(body, dict):
            self.violation("body is not a JSON object")
            return None
        extra = set(body) - set(allowed)
        if extra:
            self.violation("unexpected fields %s" % sorted(extra))
            return None
        for k in required:
            if not isinstance(body.get(k), str) or not body[k]:
                self.violation("'%s' must be a non-empty string" % k)
                return None
        if limit and len(body.get("body", "")) > limit:
            self.violation("body longer than %d characters" % limit)
            return None
        self.entry["markers"] = MARKER_RE.findall(body.get("body", ""))
        return body

    # -- GitHub ------------------------------------------------------------------------------
    def github(self, method, path, query, raw):
        st = self.server.state
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        self.entry["auth"] = "bearer" if token else ("other" if auth else "none")
        if self.headers.get("Accept") != "application/vnd.github+json":
            return self.violation("Accept must be application/vnd.github+json")
        if self.headers.get("X-GitHub-Api-Version") != "2022-11-28":
            return self.violation("X-GitHub-Api-Version must be 2022-11-28")
        if not self.headers.get("User-Agent"):
            return self.violation("User-Agent is required by GitHub")
        access = self.access(token)
        self.entry["access"] = access or "denied"
        if access is None:
            return self.send_json(401, {"message": "Bad credentials", "status": "401"})
        if self.fault(method):
            return
        if access == "read" and method != "GET":
            return self.send_json(403, {"message": "Resource not accessible by integration", "status": "403"})

        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)", path)
        if m and method == "GET":
            # What `dockgate doctor` asks: the repository, with the token's permissions on it.
            write = access == "write"
            return self.send_json(200, {"full_name": m.group(1) + "/" + m.group(2), "private": False,
                                        "permissions": {"admin": False, "maintain": False, "push": write,
                                                        "triage": write, "pull": True}})

        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/(\d+)/comments", path)
        if m:
            key = (m.group(1) + "/" + m.group(2), int(m.group(3)))
            with st.lock:
                comments = st.seed_github(key)
            if method == "GET":
                return self.github_list(path, query, comments)
            if method == "POST":
                body = self.json_body(raw, ["body"], ["body"], GITHUB_COMMENT_MAX)
                if body is None or self.openapi_violation(
                        "/repos/{owner}/{repo}/issues/{issue_number}/comments", "post", body, "comment body"):
                    return
                with st.lock:
                    c = {"id": st.new_id(), "body": body["body"], "user": {"login": "github-actions[bot]"}}
                    c["html_url"] = "https://github.example/%s/pull/%d#issuecomment-%d" % (key[0], key[1], c["id"])
                    comments.append(c)
                self.entry["id"] = c["id"]
                return self.send_json(201, c)
            return self.violation("method %s not allowed on issue comments" % method)

        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)", path)
        if m:
            if method != "PATCH":
                return self.violation("method %s not used for one comment" % method)
            body = self.json_body(raw, ["body"], ["body"], GITHUB_COMMENT_MAX)
            if body is None or self.openapi_violation(
                    "/repos/{owner}/{repo}/issues/comments/{comment_id}", "patch", body, "comment body"):
                return
            cid = int(m.group(3))
            self.entry["id"] = cid
            with st.lock:
                for (repo, _), comments in st.github.items():
                    for c in comments:
                        if c["id"] == cid and repo == m.group(1) + "/" + m.group(2):
                            c["body"] = body["body"]
                            return self.send_json(200, c)
            return self.send_json(404, {"message": "Not Found"})

        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/check-runs(?:/(\d+))?", path)
        if m:
            return self.github_check(method, path, m, raw)
        if path == "/graphql":
            return self.github_graphql(method, raw)
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/pulls/(\d+)/comments", path)
        if m:
            if method != "GET":
                return self.violation("method %s: review comments are posted as one review" % method)
            key = (m.group(1) + "/" + m.group(2), int(m.group(3)))
            with st.lock:
                comments = [{k: v for k, v in c.items() if k != "thread"} for c in st.seed_review(key)]
            return self.github_list(path, query, comments)
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/pulls/(\d+)/files", path)
        if m:
            if method != "GET":
                return self.violation("method %s not used on a PR's files" % method)
            files = [{"sha": "%040x" % (i + 1), "filename": f["path"], "status": "modified", "additions": 0,
                      "deletions": 0, "changes": 0, "patch": f["patch"]} for i, f in enumerate(st.pr_files)]
            return self.github_list(path, query, files)
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/pulls/(\d+)/reviews", path)
        if m:
            if method != "POST":
                return self.violation("method %s not used on reviews" % method)
            return self.github_review(m, raw)
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/pulls/comments/(\d+)", path)
        if m:
            if method != "PATCH":
                return self.violation("method %s not used for one review comment" % method)
            body = self.json_body(raw, ["body"], ["body"], GITHUB_COMMENT_MAX)
            if body is None or self.openapi_violation(
                    "/repos/{owner}/{repo}/pulls/comments/{comment_id}", "patch", body, "review comment body"):
                return
            cid = int(m.group(3))
            self.entry["id"] = cid
            self.entry["review_markers"] = REVIEW_MARKER_RE.findall(body["body"])
            self.entry["fixed_note"] = "<!-- dockgate-review-fixed -->" in body["body"]
            with st.lock:
                for (repo, _), comments in st.review_comments.items():
                    for c in comments:
                        if c["id"] == cid and repo == m.group(1) + "/" + m.group(2):
                            c["body"] = body["body"]
                            return self.send_json(200, {k: v for k, v in c.items() if k != "thread"})
            return self.send_json(404, {"message": "Not Found"})
        return self.violation("unknown GitHub path " + path)

    def github_review(self, m, raw):
        """POST /repos/{o}/{r}/pulls/{n}/reviews, checked against REVIEW_SCHEMA."""
        st = self.server.state
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self.violation("Content-Type must be application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            return self.violation("body is not JSON")
        import jsonschema  # Debian python3-jsonschema
        errors = sorted(jsonschema.Draft7Validator(REVIEW_SCHEMA).iter_errors(body), key=lambda e: list(e.path))
        if errors:
            return self.violation("review body: %s at %s" % (errors[0].message[:200], list(errors[0].path)))
        if self.openapi_violation("/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "post", body, "review body"):
            return
        comments = body.get("comments", [])
        if body.get("event") == "COMMENT" and not body.get("body") and not comments:
            return self.violation("a COMMENT review needs a body or comments (GitHub answers 422)")
        for c in comments:
            if "position" in c and "line" in c:
                return self.violation("a comment gives position or line, not both")
            if "start_line" in c and not c["start_line"] < c["line"]:
                return self.violation("start_line must precede line")
            if len(c["body"]) > GITHUB_COMMENT_MAX:
                return self.violation("comment body longer than %d characters" % GITHUB_COMMENT_MAX)
        self.entry["event"] = body.get("event")
        self.entry["comments"] = [{"path": c["path"], "line": c["line"], "start_line": c.get("start_line"),
                                   "suggestion": "```suggestion" in c["body"],
                                   "suggestion_lines": suggestion_lines(c["body"]),
                                   "markers": REVIEW_MARKER_RE.findall(c["body"])} for c in comments]
        key = (m.group(1) + "/" + m.group(2), int(m.group(3)))
        with st.lock:
            items = st.seed_review(key)
            rid = st.new_id()
            for c in comments:
                rc = {"id": st.new_id(), "body": c["body"], "path": c["path"], "line": c["line"],
                      "side": c.get("side", "RIGHT"), "pull_request_review_id": rid,
                      "user": {"login": "github-actions[bot]"}, "in_reply_to_id": None}
                if "start_line" in c:
                    rc["start_line"] = c["start_line"]
                rc["thread"] = "PRRT_%d" % rc["id"]
                st.threads[rc["thread"]] = {"resolved": False, "key": key}
                items.append(rc)
        self.entry["id"] = rid
        return self.send_json(200, {"id": rid, "state": "COMMENTED", "body": body.get("body", ""),
                                    "html_url": "https://github.example/%s/pull/%d#pullrequestreview-%d" % (
                                        key[0], key[1], rid)})

    def github_graphql(self, method, raw):
        st = self.server.state
        if method != "POST":
            return self.violation("GraphQL is POST /graphql")
        try:
            body = json.loads(raw)
        except ValueError:
            return self.violation("body is not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("query"), str):
            return self.violation("GraphQL body needs a query string")
        extra = set(body) - {"query", "variables", "operationName"}
        if extra:
            return self.violation("unexpected GraphQL fields %s" % sorted(extra))
        q, v = body["query"], body.get("variables") or {}
        if "resolveReviewThread" in q:
            self.entry["graphql"] = "resolveReviewThread"
            if not re.search(r"resolveReviewThread\s*\(\s*input\s*:\s*\{\s*threadId\s*:", q):
                return self.violation("resolveReviewThread takes input: {threadId}")
            tid = v.get("threadId")
            if not isinstance(tid, str) or not tid:
                return self.violation("threadId must be a non-empty ID string")
            self.entry["thread"] = tid
            if st.args.graphql_refused:
                return self.send_json(200, {"data": {"resolveReviewThread": None}, "errors": [
                    {"type": "FORBIDDEN", "path": ["resolveReviewThread"],
                     "message": "Resource not accessible by integration"}]})
            with st.lock:
                t = st.threads.get(tid)
                if t is None:
                    return self.send_json(200, {"data": None, "errors": [
                        {"type": "NOT_FOUND", "message": "Could not resolve to a node with the global id of '%s'" % tid}]})
                t["resolved"] = True
            return self.send_json(200, {"data": {"resolveReviewThread": {"thread": {"id": tid, "isResolved": True}}}})
        if "reviewThreads" in q:
            self.entry["graphql"] = "reviewThreads"
            for name, kind in (("owner", str), ("name", str), ("number", int)):
                if not isinstance(v.get(name), kind):
                    return self.violation("variable %s must be %s" % (name, kind.__name__))
            if "first:" not in q.replace(" ", "") or "isResolved" not in q or "databaseId" not in q:
                return self.violation("reviewThreads needs first: and selects isResolved and comments' databaseId")
            if st.args.graphql_refused:
                return self.send_json(200, {"data": None, "errors": [
                    {"type": "FORBIDDEN", "message": "Resource not accessible by integration"}]})
            key = (v["owner"] + "/" + v["name"], v["number"])
            with st.lock:
                comments = st.seed_review(key)
                nodes = [{"id": c["thread"], "isResolved": st.threads[c["thread"]]["resolved"],
                          "comments": {"nodes": [{"databaseId": c["id"], "body": c["body"]}]}}
                         for c in comments if c.get("in_reply_to_id") is None]
            size = st.args.page_size
            start = int(v["cursor"]) if v.get("cursor") else 0
            chunk = nodes[start:start + size]
            more = start + size < len(nodes)
            self.entry["page"] = start // size + 1
            return self.send_json(200, {"data": {"repository": {"pullRequest": {"reviewThreads": {
                "pageInfo": {"hasNextPage": more, "endCursor": str(start + size) if more else None},
                "nodes": chunk}}}}})
        return self.violation("unknown GraphQL operation")

    def send_raw(self, status, data):
        """An answer of bytes as they are (hostile bodies); the client may stop reading early."""
        self.entry["status"] = status
        if not self.entry.get("logged"):
            self.server.state.write_log(self.entry)
            self.entry["logged"] = True
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def github_list(self, path, query, comments):
        hostile = self.server.state.args.hostile_list
        if hostile == "deep":
            return self.send_raw(200, b"[" * ((32 << 20) - 1))
        if hostile == "huge":
            return self.send_raw(200, b'["' + b"x" * (40 << 20) + b'"]')
        per_page = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        if per_page != 100:
            return self.violation("list comments with per_page=100 (got %d)" % per_page)
        size = min(per_page, self.server.state.args.page_size)  # small pages exercise pagination
        start = (page - 1) * size
        chunk = comments[start:start + size]
        self.entry["page"] = page
        headers = {}
        last = max(1, (len(comments) + size - 1) // size)
        base = "http://127.0.0.1:%d%s?per_page=%d" % (self.server.server_port, path, per_page)
        links = []
        if self.server.state.args.looping_pages:
            links.append('<%s&page=1>; rel="next"' % base)
        elif page < last or self.server.state.args.endless_pages:
            links.append('<%s&page=%d>; rel="next"' % (base, page + 1))
        links.append('<%s&page=%d>; rel="last"' % (base, last))
        headers["Link"] = ", ".join(links)
        self.send_json(200, chunk, headers)

    def openapi_violation(self, op_path, op, body, what):
        """Checks a request body against GitHub's documented schema (the OpenAPI fragment in the
        corpus, when --openapi is given); a mismatch is a violation. True when there was one."""
        st = self.server.state
        if st.openapi is None:
            return False
        import jsonschema  # Debian python3-jsonschema
        schema = st.openapi["paths"][op_path][op]["requestBody"]["content"]["application/json"]["schema"]
        schema = resolve_schema(st.openapi, schema)
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(body), key=lambda e: list(e.path))
        if errors:
            self.violation("%s: %s at %s" % (what, errors[0].message[:200], list(errors[0].path)))
            return True
        self.entry["openapi"] = "valid"
        return False

    def github_check(self, method, path, m, raw):
        st = self.server.state
        op_path = "/repos/{owner}/{repo}/check-runs" + ("/{check_run_id}" if m.group(3) else "")
        op = {"POST": "post", "PATCH": "patch"}.get(method)
        if not op or (op == "post") == bool(m.group(3)):
            return self.violation("method %s not used on %s" % (method, op_path))
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self.violation("Content-Type must be application/json")
        try:
            body = json.loads(raw)
        except ValueError:
            return self.violation("body is not JSON")
        if self.openapi_violation(op_path, op, body, "check run body"):
            return
        anns = len(body.get("output", {}).get("annotations", []))
        self.entry["annotations"] = anns
        if anns > 50:
            return self.violation("more than 50 annotations in one request")
        if len(body.get("output", {}).get("summary", "")) > 65535:
            return self.violation("summary longer than 65535")
        with st.lock:
            if op == "post":
                if not body.get("name") or not body.get("head_sha"):
                    return self.violation("check run needs name and head_sha")
                cid = st.new_id()
                st.checks[cid] = {"annotations": 0, "status": body.get("status", "queued")}
                self.entry["id"] = cid
                return self.send_json(201, {"id": cid, "html_url": "https://github.example/runs/%d" % cid,
                                            "status": st.checks[cid]["status"]})
            cid = int(m.group(3))
            if cid not in st.checks:
                return self.send_json(404, {"message": "Not Found"})
            st.checks[cid]["annotations"] += anns
            if "conclusion" in body:
                st.checks[cid]["status"] = "completed"
            self.entry["id"] = cid
            return self.send_json(200, {"id": cid, "status": st.checks[cid]["status"]})

    # -- GitLab ------------------------------------------------------------------------------
    def gitlab(self, method, path, query, raw):
        st = self.server.state
        token, kind = None, "none"
        for header, name in (("PRIVATE-TOKEN", "private"), ("JOB-TOKEN", "job")):
            if self.headers.get(header):
                token, kind = self.headers[header], name
        auth = self.headers.get("Authorization", "")
        if token is None and auth.startswith("Bearer "):
            token, kind = auth[len("Bearer "):], "bearer"
        self.entry["auth"] = kind
        if not self.headers.get("User-Agent"):
            return self.violation("User-Agent is required")
        access = self.access(token)
        self.entry["access"] = access or "denied"
        if access is None:
            return self.send_json(401, {"message": "401 Unauthorized"})
        if self.fault(method):
            return
        if access == "read" and method != "GET":
            return self.send_json(403, {"message": "403 Forbidden"})

        m = re.fullmatch(r"/projects/([^/]+)/merge_requests/(\d+)/diffs", path)
        if m:
            if method != "GET":
                return self.violation("method %s not used on an MR's diffs" % method)
            page = int(query.get("page", ["1"])[0])
            size = st.args.page_size
            diffs = [{"old_path": f["path"], "new_path": f["path"], "a_mode": "100644", "b_mode": "100644",
                      "diff": f["patch"] + "\n", "new_file": False, "renamed_file": False, "deleted_file": False}
                     for f in st.pr_files]
            self.entry["page"] = page
            more = page * size < len(diffs)
            return self.send_json(200, diffs[(page - 1) * size:page * size],
                                  {"X-Next-Page": str(page + 1) if more else ""})
        m = re.fullmatch(r"/projects/([^/]+)/merge_requests/(\d+)(/discussions(?:/([0-9a-f]+))?)?", path)
        if m:
            return self.gitlab_discussions(method, m, query, raw)
        m = re.fullmatch(r"/projects/([^/]+)/merge_requests/(\d+)/notes(?:/(\d+))?", path)
        if not m:
            return self.violation("unknown GitLab path " + path)
        project = m.group(1)
        if not project.isdigit() and "%2F" not in project.upper() and "/" not in urllib.parse.unquote(project):
            return self.violation("project id must be numeric or a URL-encoded path")
        if not project.isdigit() and "/" in project:
            return self.violation("a project path must be URL-encoded (group%2Fproject)")
        project = st.args.project_ids.get(project, urllib.parse.unquote(project))
        key = (project, int(m.group(2)))
        with st.lock:
            notes = st.seed_gitlab(key)
        note_id = m.group(3)
        if note_id is None and method == "GET":
            if query.get("sort", ["desc"])[0] != "asc":
                return self.violation("list notes with sort=asc so the oldest marker wins")
            per_page = int(query.get("per_page", ["20"])[0])
            page = int(query.get("page", ["1"])[0])
            size = min(per_page, st.args.page_size)
            chunk = notes[(page - 1) * size:(page - 1) * size + size]
            self.entry["page"] = page
            more = page * size < len(notes) or st.args.endless_pages
            following = "1" if st.args.looping_pages else str(page + 1) if more else ""
            return self.send_json(200, chunk, {"X-Page": str(page), "X-Per-Page": str(size),
                                               "X-Next-Page": following,
                                               "X-Total": str(len(notes))})
        if note_id is None and method == "POST":
            body = self.json_body(raw, ["body", "internal"], ["body"], GITLAB_NOTE_MAX)
            if body is None:
                return
            with st.lock:
                n = {"id": st.new_id(), "body": body["body"], "system": False,
                     "author": {"username": "project_42_bot"}, "noteable_type": "MergeRequest",
                     "noteable_iid": key[1]}
                notes.append(n)
            self.entry["id"] = n["id"]
            return self.send_json(201, n)
        if note_id is not None and method == "PUT":
            body = self.json_body(raw, ["body"], ["body"], GITLAB_NOTE_MAX)
            if body is None:
                return
            self.entry["id"] = int(note_id)
            with st.lock:
                for n in notes:
                    if n["id"] == int(note_id):
                        if n["system"]:
                            return self.violation("updating a system note")
                        n["body"] = body["body"]
                        return self.send_json(200, n)
            return self.send_json(404, {"message": "404 Not found"})
        return self.violation("method %s not used on %s" % (method, path))


def gitlab_discussions(self, method, m, query, raw):
    st = self.server.state
    project = m.group(1)
    if not project.isdigit() and "%2F" not in project.upper():
        return self.violation("project id must be numeric or a URL-encoded path")
    project = st.args.project_ids.get(project, urllib.parse.unquote(project))
    key = (project, int(m.group(2)))
    if m.group(3) is None:
        if method != "GET":
            return self.violation("method %s not used on a merge request" % method)
        return self.send_json(200, {"iid": key[1], "state": "opened", "diff_refs": dict(GITLAB_DIFF_REFS)})
    with st.lock:
        discussions = st.discussions.setdefault(key, [])
        if not discussions and st.args.seed:
            # A person's thread on the MR, and a system note's discussion.
            discussions.append({"id": "%040x" % st.new_id(), "individual_note": False, "notes": [
                {"id": st.new_id(), "body": "please add a test", "system": False, "resolvable": True,
                 "resolved": False, "author": {"username": "reviewer"}}]})
            discussions.append({"id": "%040x" % st.new_id(), "individual_note": True, "notes": [
                {"id": st.new_id(), "body": "added 1 commit <!-- dockgate-review: feedface key=ci -->",
                 "system": True, "resolvable": False, "resolved": False}]})
    did = m.group(4)
    if did is None and method == "GET":
        per_page = int(query.get("per_page", ["20"])[0])
        page = int(query.get("page", ["1"])[0])
        size = min(per_page, st.args.page_size)
        chunk = discussions[(page - 1) * size:(page - 1) * size + size]
        self.entry["page"] = page
        more = page * size < len(discussions)
        return self.send_json(200, chunk, {"X-Page": str(page), "X-Per-Page": str(size),
                                           "X-Next-Page": str(page + 1) if more else ""})
    if did is None and method == "POST":
        body = self.json_body(raw, ["body", "position", "commit_id", "created_at"], ["body"], GITLAB_NOTE_MAX)
        if body is None:
            return
        pos = body.get("position")
        if pos is not None:
            import jsonschema  # Debian python3-jsonschema
            errors = sorted(jsonschema.Draft7Validator(GITLAB_POSITION_SCHEMA).iter_errors(pos),
                            key=lambda e: list(e.path))
            if errors:
                return self.violation("position: %s at %s" % (errors[0].message[:200], list(errors[0].path)))
            for sha in ("base_sha", "start_sha", "head_sha"):
                if pos[sha] != GITLAB_DIFF_REFS[sha]:
                    return self.violation("position.%s is not the merge request's diff_refs.%s" % (sha, sha))
            if "old_line" in pos and "old_path" not in pos:
                return self.violation("position.old_line needs position.old_path")
            self.entry["position"] = {k: pos[k] for k in ("new_path", "new_line", "old_line") if k in pos}
        self.entry["review_markers"] = REVIEW_MARKER_RE.findall(body["body"])
        self.entry["suggestion"] = "```suggestion" in body["body"]
        fence = re.search(r"```suggestion[^\n]*", body["body"])
        if fence:
            self.entry["suggestion_fence"] = fence.group(0)
        with st.lock:
            d = {"id": "%040x" % st.new_id(), "individual_note": False, "notes": [
                {"id": st.new_id(), "type": "DiffNote", "body": body["body"], "system": False,
                 "resolvable": True, "resolved": False, "position": pos,
                 "author": {"username": "project_42_bot"}}]}
            discussions.append(d)
        self.entry["id"] = d["id"]
        return self.send_json(201, d)
    if did is not None and method == "PUT":
        resolved = query.get("resolved", [None])[0]
        if resolved not in ("true", "false"):
            return self.violation("resolving a thread takes resolved=true|false")
        self.entry["id"] = did
        with st.lock:
            for d in discussions:
                if d["id"] == did:
                    if not d["notes"][0].get("resolvable"):
                        return self.violation("resolving a discussion that is not resolvable")
                    for n in d["notes"]:
                        n["resolved"] = resolved == "true"
                    self.entry["resolved"] = resolved == "true"
                    return self.send_json(200, d)
        return self.send_json(404, {"message": "404 Not found"})
    return self.violation("method %s not used on discussions" % method)


Handler.gitlab_discussions = gitlab_discussions

def suggestion_lines(body):
    """The lines of a ```suggestion block, or None."""
    m = re.search(r"```suggestion\n(.*?)\n```", body, re.S)
    return m.group(1).split("\n") if m else None


REVIEW_MARKER_RE = re.compile(r"<!-- dockgate-review: [^ ]+ key=[^ ]+ -->")

# GitHub REST "Create a review for a pull request" request body, as its reference documents it.
REVIEW_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "commit_id": {"type": "string"},
        "body": {"type": "string"},
        "event": {"type": "string", "enum": ["APPROVE", "REQUEST_CHANGES", "COMMENT"]},
        "comments": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["path", "body"],
            "properties": {
                "path": {"type": "string", "minLength": 1},
                "position": {"type": "integer"},
                "body": {"type": "string", "minLength": 1},
                "line": {"type": "integer", "minimum": 1},
                "side": {"type": "string", "enum": ["LEFT", "RIGHT"]},
                "start_line": {"type": "integer", "minimum": 1},
                "start_side": {"type": "string", "enum": ["LEFT", "RIGHT", "side"]},
            }}},
    },
}

# GitLab "Create new merge request thread": the position of a text diff note.
GITLAB_POSITION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["position_type", "base_sha", "start_sha", "head_sha"],
    "properties": {
        "position_type": {"type": "string", "enum": ["text", "image", "file"]},
        "base_sha": {"type": "string", "minLength": 1},
        "start_sha": {"type": "string", "minLength": 1},
        "head_sha": {"type": "string", "minLength": 1},
        "new_path": {"type": "string", "minLength": 1},
        "old_path": {"type": "string", "minLength": 1},
        "new_line": {"type": "integer", "minimum": 1},
        "old_line": {"type": "integer", "minimum": 1},
        "line_range": {"type": "object"},
    },
    "anyOf": [{"required": ["new_path", "new_line"]}, {"required": ["old_path", "old_line"]}],
}

GITLAB_DIFF_REFS = {"base_sha": "1111111111111111111111111111111111111111",
                    "start_sha": "2222222222222222222222222222222222222222",
                    "head_sha": "3333333333333333333333333333333333333333"}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--log", required=True, help="append one JSON line per request here")
    p.add_argument("--lifetime", type=float, default=60, help="stop after this many seconds")
    p.add_argument("--token", default="good-token")
    p.add_argument("--readonly-token", default="")
    p.add_argument("--faults", default="", help="e.g. 429,500@POST,ratelimit,retrydate")
    p.add_argument("--page-size", type=int, default=3, help="server-side page cap")
    p.add_argument("--endless-pages", action="store_true", help="every comment list page links to a next one")
    p.add_argument("--looping-pages", action="store_true", help="every comment list page links back to the first")
    p.add_argument("--hostile-list", choices=["deep", "huge"], default="",
                   help="comment lists answer 32 MiB - 1 of '[' (deep) or a 40 MiB JSON string (huge)")
    p.add_argument("--echo-headers", action="store_true", help="error messages repeat the request's headers")
    p.add_argument("--seed", type=int, default=4, help="foreign comments already on each PR/MR")
    p.add_argument("--system-marker-key", default="ci")
    p.add_argument("--seed-review", type=int, default=2, help="foreign review comments already on each PR")
    p.add_argument("--graphql-refused", action="store_true", help="GraphQL answers FORBIDDEN")
    p.add_argument("--pr-files", default="", help='JSON [{"path", "patch"}]: the PR/MR diff the API serves')
    p.add_argument("--project-id", action="append", default=[], help="NUMBER=group/project")
    p.add_argument("--openapi", default="", help="GitHub OpenAPI fragment: comment and check-run bodies are validated")
    args = p.parse_args()
    args.project_ids = dict(x.split("=", 1) for x in args.project_id)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.state = State(args)
    timer = threading.Timer(args.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    print(server.server_port, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        timer.cancel()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
