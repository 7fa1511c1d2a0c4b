#!/usr/bin/env python3
"""A stand-in GitHub REST API for tests (../shared/docs/APIS.md §8.1-8.4, §9.9).

Real bare git repositories are behind it (ROOT/<owner>/<name>.git): the
default branch, refs, commits and merges are read from and written to them
with git itself, so a client pushes to the same repository the API
describes. Pull requests, comments, labels and reviews live in memory.

Every answer carries x-ratelimit-* headers; faults can be injected (primary
limit: 403 with remaining 0 and a reset; secondary limit: 403 with
retry-after, or without it); a second open pull request for one head is the
422 "A pull request already exists". Starts on a free loopback port and
prints its address on the first line.

    github_forge.py --root DIR --token T [--repo owner/name ...] [--page-size N]

Git's smart HTTP protocol is served too (/<owner>/<name>.git/..., through
`git http-backend`), behind Basic auth with the token as the password.

Test-only endpoints under /_standin/: GET state, POST faults
{"primary": n, "secondary": n, "secondary_backoff": n, "stale_list": n}, POST
repos/<o>/<r>/pulls/<n>/close.
"""
import argparse
import base64
import datetime
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIMIT = 5000


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def git(repo, *args, check=True):
    done = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip() if done.returncode == 0 else None


class State:
    def __init__(self, root, token, page_size):
        self.root, self.token, self.page_size = root, token, page_size
        self.lock = threading.Lock()
        self.pulls = {}      # (owner, name) -> [pull dict]
        self.comments = {}   # (owner, name, number) -> [comment]
        self.next_id = 1000
        self.used = 0
        # primary/secondary limits for the next n requests; stale_list: the
        # next n pull request lists leave the open ones out (a list read
        # before another client opened one).
        self.faults = {"primary": 0, "secondary": 0, "secondary_backoff": 0, "stale_list": 0}
        self.requests = []   # (method, path) served, for tests
        self.permissions = {}  # login -> permission

    def repo_path(self, owner, name):
        return os.path.join(self.root, owner, name + ".git")

    def new_id(self):
        self.next_id += 1
        return self.next_id


def user(login):
    return {"login": login, "id": abs(hash(login)) % 100000, "type": "User"}


def branch_sha(repo, branch):
    return git(repo, "rev-parse", "--verify", "-q", f"refs/heads/{branch}^{{commit}}", check=False)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GitHubStandIn/1"

    def log_message(self, *args):
        pass

    @property
    def state(self):
        return self.server.state

    # ------------------------------------------------------------ plumbing

    def send(self, status, body, headers=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        s = self.state
        reset = int(time.time()) + 3600
        remaining = max(0, LIMIT - s.used)
        for name, value in (("x-ratelimit-limit", LIMIT), ("x-ratelimit-remaining", remaining),
                            ("x-ratelimit-used", s.used), ("x-ratelimit-reset", reset),
                            ("x-ratelimit-resource", "core")):
            if not headers or name not in headers:
                self.send_header(name, str(value))
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message, errors=None, doc="https://docs.github.com/rest", headers=None):
        body = {"message": message, "documentation_url": doc, "status": str(status)}
        if errors:
            body["errors"] = errors
        self.send(status, body, headers)

    def body(self):
        return json.loads(self.raw_body) if self.raw_body else None

    def read_request_body(self):
        """The request's bytes, Content-Length or chunked (libgit2 pushes
        chunked)."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def git_http(self, method, url):
        """Git's smart HTTP protocol through `git http-backend`, behind Basic
        auth with the token as the password (any user name), as GitHub does."""
        s = self.state
        body = self.read_request_body()
        auth = self.headers.get("Authorization", "")
        ok = False
        if auth.startswith("Basic "):
            user_pass = base64.b64decode(auth[6:]).decode(errors="replace")
            ok = user_pass.split(":", 1)[-1] == s.token
        if not ok:
            # An empty body: libgit2 1.5.1 reads a 401's body left on a
            # kept-alive connection as the next answer ("http parser error:
            # invalid constant string"); see docs/LOOP.md.
            return self.write_raw(401, [("WWW-Authenticate", 'Basic realm="GitHub"')], b"")
        with s.lock:
            s.requests.append((method, url.path))
        env = dict(os.environ, GIT_PROJECT_ROOT=s.root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=url.path,
                   REQUEST_METHOD=method, QUERY_STRING=url.query, REMOTE_USER="pusher",
                   CONTENT_TYPE=self.headers.get("Content-Type", ""), CONTENT_LENGTH=str(len(body)))
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        done = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        head, _, payload = done.stdout.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode().split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.write_raw(status, headers, payload)

    def write_raw(self, status, headers, payload):
        """A whole answer in one write, as git's own servers send it."""
        lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}", f"Server: {self.version_string()}",
                 f"Date: {self.date_time_string()}"]
        lines += [f"{name}: {value}" for name, value in headers]
        lines.append(f"Content-Length: {len(payload)}")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        self.wfile.flush()

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        if re.fullmatch(r"/[^/]+/[^/]+\.git/(info/refs|git-upload-pack|git-receive-pack)", url.path):
            return self.git_http(method, url)
        # Read whole before any answer, so that an early error leaves no
        # bytes of it on a kept-alive connection.
        self.raw_body = self.read_request_body()
        path, query = urllib.parse.unquote(url.path), urllib.parse.parse_qs(url.query)
        s = self.state
        if path.startswith("/_standin/"):
            return self.control(method, path[len("/_standin/"):])
        with s.lock:
            s.requests.append((method, path))
        # GitHub takes both schemes: "Bearer" (go-github, Prometheus) and
        # "token" (Octokit for personal and installation tokens).
        if self.headers.get("Authorization") not in (f"Bearer {s.token}", f"token {s.token}"):
            return self.error(401, "Bad credentials")
        if not self.headers.get("User-Agent"):
            return self.error(403, "Request forbidden by administrative rules. "
                                   "Please make sure your request has a User-Agent header")
        with s.lock:
            if s.faults["primary"]:
                s.faults["primary"] -= 1
                return self.error(403, "API rate limit exceeded for user.",
                                  headers={"x-ratelimit-remaining": 0,
                                           "x-ratelimit-reset": int(time.time()) + 1})
            for kind in ("secondary", "secondary_backoff"):
                if s.faults[kind]:
                    s.faults[kind] -= 1
                    headers = {"retry-after": 1} if kind == "secondary" else {}
                    return self.error(403, "You have exceeded a secondary rate limit. Please wait "
                                           "a few minutes before you try again.",
                                      doc="https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
                                          "#about-secondary-rate-limits", headers=headers)
            s.used += 1
        if path == "/rate_limit":
            core = {"limit": LIMIT, "remaining": LIMIT - s.used, "used": s.used,
                    "reset": int(time.time()) + 3600}
            return self.send(200, {"resources": {"core": core}, "rate": core})
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not m:
            return self.error(404, "Not Found")
        owner, name, rest = m.group(1), m.group(2), m.group(3) or ""
        repo = s.repo_path(owner, name)
        if not os.path.isdir(repo):
            return self.error(404, "Not Found")
        return self.repo_api(method, owner, name, repo, rest, query)

    do_GET = lambda self: self.handle_any("GET")
    do_POST = lambda self: self.handle_any("POST")
    do_PATCH = lambda self: self.handle_any("PATCH")
    do_PUT = lambda self: self.handle_any("PUT")
    do_DELETE = lambda self: self.handle_any("DELETE")

    # ------------------------------------------------------------ the API

    def repo_json(self, owner, name, repo):
        head = git(repo, "symbolic-ref", "--short", "HEAD", check=False) or "main"
        return {"id": abs(hash((owner, name))) % 10**6, "name": name, "full_name": f"{owner}/{name}",
                "owner": user(owner), "private": False, "default_branch": head,
                "html_url": f"https://github.example/{owner}/{name}"}

    def pull_json(self, owner, name, repo, pr):
        out = dict(pr)
        head_sha = branch_sha(repo, pr["head"]["ref"]) or pr["head"].get("sha")
        out["head"] = dict(pr["head"], sha=head_sha)
        out["base"] = dict(pr["base"], sha=branch_sha(repo, pr["base"]["ref"]))
        return out

    def page(self, items, query, base_path):
        per_page = min(int(query.get("per_page", ["30"])[0]), 100, self.state.page_size)
        page = int(query.get("page", ["1"])[0])
        last = max(1, (len(items) + per_page - 1) // per_page)
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        host = self.headers.get("Host")
        def url(p):
            q = {k: v[0] for k, v in query.items()}
            q["page"] = str(p)
            return f"http://{host}{base_path}?{urllib.parse.urlencode(q)}"
        if page < last:
            links.append(f'<{url(page + 1)}>; rel="next"')
            links.append(f'<{url(last)}>; rel="last"')
        if page > 1:
            links.append(f'<{url(page - 1)}>; rel="prev"')
            links.append(f'<{url(1)}>; rel="first"')
        return chunk, ({"Link": ", ".join(links)} if links else {})

    def repo_api(self, method, owner, name, repo, rest, query):
        s = self.state
        key = (owner, name)
        pulls = s.pulls.setdefault(key, [])
        if rest == "" and method == "GET":
            return self.send(200, self.repo_json(owner, name, repo))
        m = re.fullmatch(r"/git/ref/heads/(.+)", rest)
        if m and method == "GET":
            sha = branch_sha(repo, m.group(1))
            if not sha:
                return self.error(404, "Not Found")
            return self.send(200, {"ref": f"refs/heads/{m.group(1)}",
                                   "object": {"type": "commit", "sha": sha}})
        if rest == "/pulls" and method == "GET":
            state = query.get("state", ["open"])[0]
            head = query.get("head", [None])[0]
            stale = False
            with s.lock:
                if s.faults["stale_list"]:
                    s.faults["stale_list"] -= 1
                    stale = True
            chosen = [self.pull_json(owner, name, repo, pr) for pr in reversed(pulls)
                      if (state == "all" or pr["state"] == state)
                      and (head is None or f'{owner}:{pr["head"]["ref"]}' == head)
                      and not (stale and pr["state"] == "open")]
            chunk, headers = self.page(chosen, query, f"/repos/{owner}/{name}/pulls")
            return self.send(200, chunk, headers)
        if rest == "/pulls" and method == "POST":
            return self.create_pull(owner, name, repo, pulls, self.body() or {})
        m = re.fullmatch(r"/pulls/(\d+)(/[a-z]+)?", rest)
        if m:
            number = int(m.group(1))
            pr = next((p for p in pulls if p["number"] == number), None)
            if pr is None:
                return self.error(404, "Not Found")
            sub = m.group(2) or ""
            if sub == "" and method == "GET":
                return self.send(200, self.pull_json(owner, name, repo, pr))
            if sub == "" and method == "PATCH":
                body = self.body() or {}
                for field in ("title", "body"):
                    if field in body:
                        pr[field] = body[field]
                if body.get("state") in ("open", "closed") and not pr["merged"]:
                    pr["state"] = body["state"]
                    pr["closed_at"] = now_iso() if body["state"] == "closed" else None
                pr["updated_at"] = now_iso()
                return self.send(200, self.pull_json(owner, name, repo, pr))
            if sub == "/commits" and method == "GET":
                base, head = pr["base"]["ref"], pr["head"]["ref"]
                log = git(repo, "log", "--format=%H%x09%ae%x09%ce%x09%s", f"refs/heads/{base}..refs/heads/{head}",
                          check=False) or ""
                commits = [{"sha": sha, "commit": {"author": {"email": ae}, "committer": {"email": ce},
                                                   "message": msg}}
                           for sha, ae, ce, msg in (line.split("\t", 3) for line in reversed(log.splitlines()))]
                chunk, headers = self.page(commits, query, f"/repos/{owner}/{name}/pulls/{number}/commits")
                return self.send(200, chunk, headers)
            if sub == "/merge" and method == "PUT":
                return self.merge(repo, pr, self.body() or {})
            if sub == "/reviews" and method == "POST":
                body = self.body() or {}
                review = {"id": s.new_id(), "state": {"APPROVE": "APPROVED", "REQUEST_CHANGES":
                          "CHANGES_REQUESTED"}.get(body.get("event"), "COMMENTED"),
                          "body": body.get("body", ""), "user": user("reviewer")}
                pr.setdefault("reviews", []).append(review)
                return self.send(200, review)
        m = re.fullmatch(r"/issues/(\d+)/(comments|labels)", rest)
        if m:
            number = int(m.group(1))
            pr = next((p for p in pulls if p["number"] == number), None)
            if pr is None:
                return self.error(404, "Not Found")
            if m.group(2) == "comments":
                comments = s.comments.setdefault((owner, name, number), [])
                if method == "GET":
                    chunk, headers = self.page(comments, query, f"/repos/{owner}/{name}/issues/{number}/comments")
                    return self.send(200, chunk, headers)
                if method == "POST":
                    body = self.body() or {}
                    if not isinstance(body.get("body"), str) or not body["body"]:
                        return self.error(422, "Validation Failed",
                                          [{"resource": "IssueComment", "field": "body", "code": "missing_field"}])
                    comment = {"id": s.new_id(), "body": body["body"], "user": user("prometheus[bot]"),
                               "created_at": now_iso(), "updated_at": now_iso(),
                               "author_association": "NONE"}
                    comments.append(comment)
                    return self.send(201, comment)
            else:
                body = self.body()
                names = body if isinstance(body, list) else (body or {}).get("labels", [])
                if method == "PUT":
                    pr["labels"] = []
                for label in names:
                    if label not in [l["name"] for l in pr["labels"]]:
                        pr["labels"].append({"id": s.new_id(), "name": label, "color": "ededed",
                                             "default": False, "description": None})
                return self.send(200, pr["labels"])
        m = re.fullmatch(r"/collaborators/([^/]+)/permission", rest)
        if m and method == "GET":
            permission = s.permissions.get(m.group(1), "none")
            return self.send(200, {"permission": permission, "user": user(m.group(1))})
        return self.error(404, "Not Found")

    def create_pull(self, owner, name, repo, pulls, body):
        for field in ("head", "base", "title"):
            if not body.get(field):
                return self.error(422, "Validation Failed",
                                  [{"resource": "PullRequest", "field": field, "code": "missing_field"}])
        head = body["head"].split(":", 1)[-1]
        head_sha, base_sha = branch_sha(repo, head), branch_sha(repo, body["base"])
        if not head_sha:
            return self.error(422, "Validation Failed",
                              [{"resource": "PullRequest", "field": "head", "code": "invalid"}],
                              doc="https://docs.github.com/rest/pulls/pulls#create-a-pull-request")
        if not base_sha:
            return self.error(422, "Validation Failed",
                              [{"resource": "PullRequest", "field": "base", "code": "invalid"}])
        if any(p["state"] == "open" and p["head"]["ref"] == head for p in pulls):
            return self.error(422, "Validation Failed",
                              [{"resource": "PullRequest", "code": "custom",
                                "message": f"A pull request already exists for {owner}:{head}."}],
                              doc="https://docs.github.com/rest/pulls/pulls#create-a-pull-request")
        if not git(repo, "rev-list", f"{base_sha}..{head_sha}", check=False):
            return self.error(422, "Validation Failed",
                              [{"resource": "PullRequest", "code": "custom",
                                "message": f"No commits between {body['base']} and {head}"}])
        s = self.state
        number = max([p["number"] for p in pulls] + [0]) + 1
        pr = {"id": s.new_id(), "number": number, "state": "open", "title": body["title"],
              "body": body.get("body") or "", "draft": bool(body.get("draft")),
              "user": user("prometheus[bot]"), "labels": [], "merged": False, "merged_at": None,
              "merge_commit_sha": None, "closed_at": None, "created_at": now_iso(),
              "updated_at": now_iso(),
              "html_url": f"https://github.example/{owner}/{name}/pull/{number}",
              "url": f"/repos/{owner}/{name}/pulls/{number}",
              "head": {"ref": head, "label": f"{owner}:{head}", "sha": head_sha},
              "base": {"ref": body["base"], "label": f"{owner}:{body['base']}"}}
        pulls.append(pr)
        return self.send(201, self.pull_json(owner, name, repo, pr))

    def merge(self, repo, pr, body):
        if pr["state"] != "open":
            return self.error(405, "Pull Request is not mergeable")
        base, head = pr["base"]["ref"], pr["head"]["ref"]
        base_sha, head_sha = branch_sha(repo, base), branch_sha(repo, head)
        tree = git(repo, "merge-tree", "--write-tree", base_sha, head_sha, check=False)
        if tree is None:
            return self.error(405, "Pull Request is not mergeable")
        message = body.get("commit_title") or f"Merge pull request #{pr['number']} from {head}"
        env = dict(os.environ, GIT_AUTHOR_NAME="Maintainer", GIT_AUTHOR_EMAIL="maintainer@example.com",
                   GIT_COMMITTER_NAME="GitHub", GIT_COMMITTER_EMAIL="noreply@github.com")
        commit = subprocess.run(["git", "-C", repo, "commit-tree", tree.splitlines()[0], "-p", base_sha,
                                 "-p", head_sha, "-m", message], capture_output=True, text=True,
                                env=env, check=True).stdout.strip()
        git(repo, "update-ref", f"refs/heads/{base}", commit, base_sha)
        pr.update(state="closed", merged=True, merged_at=now_iso(), closed_at=now_iso(),
                  merge_commit_sha=commit)
        pr["head"]["sha"] = head_sha
        return self.send(200, {"sha": commit, "merged": True, "message": "Pull Request successfully merged"})

    # ------------------------------------------------------------ test control

    def control(self, method, path):
        s = self.state
        if path == "state" and method == "GET":
            with s.lock:
                return self.send(200, {"pulls": {f"{o}/{n}": p for (o, n), p in s.pulls.items()},
                                       "comments": {f"{o}/{n}#{k}": c for (o, n, k), c in s.comments.items()},
                                       "requests": s.requests, "faults": s.faults})
        if path == "faults" and method == "POST":
            with s.lock:
                s.faults.update(self.body() or {})
            return self.send(200, s.faults)
        if path == "permissions" and method == "POST":
            s.permissions.update(self.body() or {})
            return self.send(200, s.permissions)
        m = re.fullmatch(r"repos/([^/]+)/([^/]+)/pulls/(\d+)/close", path)
        if m and method == "POST":
            for pr in s.pulls.get((m.group(1), m.group(2)), []):
                if pr["number"] == int(m.group(3)):
                    pr.update(state="closed", closed_at=now_iso())
                    return self.send(200, pr)
        return self.error(404, "Not Found")


class Server(ThreadingHTTPServer):
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--repo", action="append", default=[],
                        help="owner/name: create an empty bare repository (default branch main)")
    parser.add_argument("--page-size", type=int, default=100, help="the most items a page holds")
    args = parser.parse_args()
    for full in args.repo:
        owner, name = full.split("/")
        path = os.path.join(args.root, owner, name + ".git")
        if not os.path.isdir(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            subprocess.run(["git", "init", "-q", "--bare", "-b", "main", path], check=True)
    server = Server(("127.0.0.1", 0), Handler)
    server.state = State(args.root, args.token, args.page_size)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
