#!/usr/bin/env python3
"""Stand-ins for GitLab (merge requests, REST v4) and Azure DevOps (pull
requests, Git REST 7.1) for tests: the endpoints Prometheus calls
(../shared/docs/APIS.md §8.5, §8.6), over real bare git repositories
(ROOT/<path>.git; merges made with git itself). Smaller than
github_forge.py: no pagination beyond one page, one injected 429 with
Retry-After. Starts on a free loopback port and prints its address first.

    gitlab_azure_forges.py --kind gitlab|azure --root DIR --token T --repo PATH

PATH is group/project (GitLab) or organization/project/repository (Azure).
Test-only: GET /_standin/state, POST /_standin/throttle {"n": 1},
POST /_standin/merge/<number>, POST /_standin/close/<number>.
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
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def git(repo, *args):
    done = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


def merge(repo, base, head, message):
    """A real merge commit of head into base; its sha."""
    base_sha = git(repo, "rev-parse", f"refs/heads/{base}")
    head_sha = git(repo, "rev-parse", f"refs/heads/{head}")
    tree = git(repo, "merge-tree", "--write-tree", base_sha, head_sha).splitlines()[0]
    env = dict(os.environ, GIT_AUTHOR_NAME="Maintainer", GIT_AUTHOR_EMAIL="maintainer@example.com",
               GIT_COMMITTER_NAME="Forge", GIT_COMMITTER_EMAIL="forge@example.com")
    commit = subprocess.run(["git", "-C", repo, "commit-tree", tree, "-p", base_sha, "-p", head_sha,
                             "-m", message], capture_output=True, text=True, env=env, check=True).stdout.strip()
    git(repo, "update-ref", f"refs/heads/{base}", commit, base_sha)
    return commit, head_sha


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        return json.loads(self.raw_body) if self.raw_body else {}

    def any(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        self.raw_body = self.rfile.read(length) if length else b""
        s = self.server
        url = urllib.parse.urlsplit(self.path)
        path, query = urllib.parse.unquote(url.path), urllib.parse.parse_qs(url.query)
        if path.startswith("/_standin/"):
            return self.control(method, path[len("/_standin/"):])
        with s.lock:
            s.requests.append((method, url.path))
            if s.throttle:
                s.throttle -= 1
                headers = {"Retry-After": 1}
                if s.kind == "gitlab":
                    headers.update({"RateLimit-Limit": 600, "RateLimit-Remaining": 0})
                    return self.send(429, {"message": "Retry later"}, headers)
                headers.update({"X-RateLimit-Resource": "ATCPU", "X-RateLimit-Delay": 1})
                return self.send(429, {"message": "TF400733: The request has been canceled: Request was "
                                                  "blocked due to exceeding usage of resource 'ATCPU'."}, headers)
        if s.kind == "gitlab":
            if self.headers.get("PRIVATE-TOKEN") != s.token:
                return self.send(401, {"message": "401 Unauthorized"})
            return self.gitlab(method, path, query)
        expected = "Basic " + base64.b64encode(f":{s.token}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.send(401, {"message": "TF400813: The user is not authorized to access this resource."})
        if query.get("api-version", [""])[0] != "7.1":
            return self.send(400, {"message": "VS800075: The API version is missing or not supported."})
        return self.azure(method, path, query)

    do_GET = lambda self: self.any("GET")
    do_POST = lambda self: self.any("POST")
    do_PUT = lambda self: self.any("PUT")
    do_PATCH = lambda self: self.any("PATCH")

    # ------------------------------------------------------------ GitLab

    def gitlab(self, method, path, query):
        s = self.server
        m = re.fullmatch(r"/api/v4/projects/([^/]+(?:/[^/]+)*?)(/merge_requests(?:/(\d+)(/notes|/merge)?)?)?", path)
        if not m or m.group(1) != s.path:
            return self.send(404, {"message": "404 Project Not Found"})
        if m.group(2) is None and method == "GET":
            return self.send(200, {"id": 1, "path_with_namespace": s.path, "default_branch": s.default()})
        if m.group(3) is None:
            if method == "GET":
                state = query.get("state", ["all"])[0]
                chosen = [mr for mr in reversed(s.items) if state == "all" or mr["state"] == state]
                return self.send(200, chosen, {"X-Total": len(chosen), "X-Next-Page": ""})
            if method == "POST":
                body = self.body()
                source = body.get("source_branch")
                if not git(s.repo, "rev-parse", "--verify", "-q", f"refs/heads/{source or '-'}"):
                    return self.send(422, {"message": ["Source branch does not exist"]})
                same = [mr for mr in s.items if mr["state"] == "opened" and mr["source_branch"] == source]
                if same:
                    return self.send(409, {"message": [f"Another open merge request already exists for this "
                                                       f"source branch: !{same[0]['iid']}"]})
                iid = len(s.items) + 1
                mr = {"id": 100 + iid, "iid": iid, "project_id": 1, "state": "opened", "title": body["title"],
                      "description": body.get("description", ""), "source_branch": source,
                      "target_branch": body["target_branch"], "labels": [], "draft": False,
                      "sha": git(s.repo, "rev-parse", f"refs/heads/{source}"),
                      "merged_at": None, "merge_commit_sha": None,
                      "web_url": f"https://gitlab.example/{s.path}/-/merge_requests/{iid}"}
                s.items.append(mr)
                return self.send(201, mr)
        mr = next((x for x in s.items if x["iid"] == int(m.group(3))), None)
        if mr is None:
            return self.send(404, {"message": "404 Not found"})
        if m.group(4) == "/notes":
            notes = s.comments.setdefault(mr["iid"], [])
            if method == "GET":
                return self.send(200, notes)
            note = {"id": 500 + len(notes), "body": self.body().get("body", ""), "created_at": now_iso()}
            notes.append(note)
            return self.send(201, note)
        if m.group(4) == "/merge" and method == "PUT":
            return self.send(200, self.merged(mr, mr["target_branch"], mr["source_branch"]))
        if method == "PUT":
            body = self.body()
            for field in ("title", "description"):
                if field in body:
                    mr[field] = body[field]
            for label in (body.get("add_labels") or "").split(","):
                if label and label not in mr["labels"]:
                    mr["labels"].append(label)
            if body.get("state_event") == "close":
                mr["state"] = "closed"
            return self.send(200, mr)
        return self.send(405, {"message": "405 Method Not Allowed"})

    def merged(self, item, base, head):
        commit, head_sha = merge(self.server.repo, base, head, f"Merge {head} into {base}")
        if self.server.kind == "gitlab":
            item.update(state="merged", merged_at=now_iso(), merge_commit_sha=commit, sha=head_sha)
        else:
            item.update(status="completed", closedDate=now_iso(), lastMergeCommit={"commitId": commit},
                        lastMergeSourceCommit={"commitId": head_sha})
        return item

    # ------------------------------------------------------------ Azure DevOps

    def azure(self, method, path, query):
        s = self.server
        org, project, name = s.path.split("/")
        base = f"/{org}/{project}/_apis/git/repositories/{name}"
        if not path.startswith(base):
            return self.send(404, {"message": "TF401019: The Git repository does not exist."})
        rest = path[len(base):]
        if rest == "" and method == "GET":
            return self.send(200, {"id": "0f0e", "name": name, "defaultBranch": f"refs/heads/{s.default()}"})
        if rest.lower() == "/pullrequests":
            if method == "GET":
                status = query.get("searchCriteria.status", ["active"])[0]
                chosen = [p for p in reversed(s.items) if status == "all" or p["status"] == status]
                return self.send(200, {"value": chosen, "count": len(chosen)})
            if method == "POST":
                body = self.body()
                source = body.get("sourceRefName", "")
                if not git(s.repo, "rev-parse", "--verify", "-q", source or "-"):
                    return self.send(400, {"message": f"TF401398: The pull request cannot be activated because "
                                                      f"the source and/or the target branch no longer exists"})
                if any(p["status"] == "active" and p["sourceRefName"] == source for p in s.items):
                    return self.send(409, {"message": "TF401179: An active pull request for the source and "
                                                      "target branch already exists."})
                number = len(s.items) + 1
                pr = {"pullRequestId": number, "status": "active", "title": body.get("title", ""),
                      "description": body.get("description", ""), "sourceRefName": source,
                      "targetRefName": body.get("targetRefName"), "isDraft": bool(body.get("isDraft")),
                      "labels": [], "creationDate": now_iso(),
                      "url": f"https://dev.azure.com/{org}/{project}/_git/{name}/pullrequest/{number}",
                      "repository": {"id": "0f0e", "name": name}}
                s.items.append(pr)
                return self.send(201, pr)
        m = re.fullmatch(r"/pull[Rr]equests/(\d+)(/labels|/threads)?", rest)
        if m:
            pr = next((p for p in s.items if p["pullRequestId"] == int(m.group(1))), None)
            if pr is None:
                return self.send(404, {"message": "TF401180: The requested pull request was not found."})
            if m.group(2) == "/labels" and method == "POST":
                label = {"id": f"l{len(pr['labels'])}", "name": self.body().get("name"), "active": True}
                pr["labels"].append(label)
                return self.send(200, label)
            if m.group(2) == "/threads":
                threads = s.comments.setdefault(pr["pullRequestId"], [])
                if method == "GET":
                    return self.send(200, {"value": threads, "count": len(threads)})
                body = self.body()
                thread = {"id": len(threads) + 1, "status": "active",
                          "comments": [{"id": 1, "content": c.get("content", ""), "commentType": "text"}
                                       for c in body.get("comments", [])]}
                threads.append(thread)
                return self.send(200, thread)
            if m.group(2) is None and method == "PATCH":
                body = self.body()
                for field in ("title", "description"):
                    if field in body:
                        pr[field] = body[field]
                if body.get("status") == "abandoned":
                    pr["status"] = "abandoned"
                return self.send(200, pr)
            if m.group(2) is None and method == "GET":
                return self.send(200, pr)
        return self.send(404, {"message": "not found"})

    # ------------------------------------------------------------ control

    def control(self, method, path):
        s = self.server
        if path == "state":
            return self.send(200, {"items": s.items, "comments": {str(k): v for k, v in s.comments.items()},
                                   "requests": s.requests})
        if path == "throttle":
            s.throttle = self.body().get("n", 1)
            return self.send(200, {})
        m = re.fullmatch(r"(merge|close)/(\d+)", path)
        if m:
            key = "iid" if s.kind == "gitlab" else "pullRequestId"
            item = next(x for x in s.items if x[key] == int(m.group(2)))
            if m.group(1) == "close":
                item.update({"state": "closed"} if s.kind == "gitlab" else {"status": "abandoned"})
                return self.send(200, item)
            if s.kind == "gitlab":
                return self.send(200, self.merged(item, item["target_branch"], item["source_branch"]))
            return self.send(200, self.merged(item, item["targetRefName"][len("refs/heads/"):],
                                              item["sourceRefName"][len("refs/heads/"):]))
        return self.send(404, {})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def default(self):
        return git(self.repo, "symbolic-ref", "--short", "HEAD") or "main"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=("gitlab", "azure"), required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.kind, server.token, server.path = args.kind, args.token, args.repo
    server.repo = os.path.join(args.root, args.repo + ".git")
    if not os.path.isdir(server.repo):
        os.makedirs(os.path.dirname(server.repo), exist_ok=True)
        subprocess.run(["git", "init", "-q", "--bare", "-b", "main", server.repo], check=True)
    server.items, server.comments, server.requests = [], {}, []
    server.throttle, server.lock = 0, threading.Lock()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
