#!/usr/bin/env python3
"""A stand-in Databricks workspace for tests (../shared/docs/APIS.md §9).

Serves the Jobs API 2.1/2.2 (runs/list, runs/get), clusters/get, DBFS
(list, get-status, read) and the Files API (directories, files with ranges,
uploads) from a folder laid out as cluster log delivery, and the SQL
Statement Execution API on a warehouse that runs statements with DuckDB
(standin_warehouse.py, which says what is real and what is translated), with
PAT and OAuth M2M auth and injected faults (429/503/500, resets, slow
answers) on every endpoint. Starts on a free loopback port and prints its
address on the first line.

    databricks_workspace.py --root DIR [--seed] [--runs N] [--token T]
        [--client-id ID --client-secret S] [--fault-rate 0.2] [--latency-ms 20]

--seed lays out DIR from real event logs (../shared/eventlogs) and writes
DIR/workspace.json (runs, clusters) and DIR/manifest.json (what a client
should find); without it DIR/workspace.json is read as it is.
"""
import argparse
import base64
import email.utils
import gzip
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
EVENTLOGS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "eventlogs"))
SPARK_EVENTS = "apache__spark/core/src/test/resources/spark-events"
# Plain single-file logs with distinct application ids.
LOGS = ["app-20161115172038-0000", "app-20161116163331-0000", "app-20180109111548-0000",
        "app-20200706201101-0003", "application_1506645932520_24630151",
        "application_1516285256255_0012", "application_1536831636016_59384_1",
        "application_1538416563558_0014", "application_1553914137147_0018",
        "application_1555004656427_0144", "application_1578436911597_0052",
        "application_1628109047826_1317105", "local-1430917381534", "local-1642039451826"]
MAX_DBFS_READ = 1 << 20


def local_path(root, api_path):
    """The file behind a DBFS path (/x → root/dbfs/x) or volume path (/Volumes/...)."""
    api_path = api_path.rstrip("/") or "/"
    if api_path.startswith("/Volumes/") or api_path == "/Volumes":
        return os.path.join(root, api_path.lstrip("/"))
    return os.path.join(root, "dbfs", api_path.lstrip("/"))


# ---------------------------------------------------------------- seeding

def seed(root, runs_wanted, now_ms):
    """Lays out `runs_wanted` completed runs (cycling through LOGS) plus the
    awkward ones: running, serverless, s3, not delivered, outside the window,
    and one application shared by two runs."""
    os.makedirs(root, exist_ok=True)
    os.makedirs(local_path(root, "/Volumes/main/ops/prometheus_staging"), exist_ok=True)
    runs, clusters, expected = [], {}, []
    big = 2 ** 53

    def place(dest, cluster_id, ip, ctx, data, rolled):
        api = dest[len("dbfs:"):] if dest.startswith("dbfs:") else dest
        folder = local_path(root, f"{api}/{cluster_id}/eventlog/{cluster_id}_{ip.replace('.', '_')}/{ctx}")
        os.makedirs(folder, exist_ok=True)
        if rolled:
            lines = data.splitlines(keepends=True)
            half = len(lines) // 2
            with open(os.path.join(folder, "eventlog-2024-06-10--12-00.gz"), "wb") as out:
                out.write(gzip.compress(b"".join(lines[:half]), mtime=0))
            data = b"".join(lines[half:])
        with open(os.path.join(folder, "eventlog"), "wb") as out:
            out.write(data)
        # Driver logs beside the event log, as delivery puts them.
        driver = local_path(root, f"{api}/{cluster_id}/driver")
        os.makedirs(driver, exist_ok=True)
        with open(os.path.join(driver, "stdout"), "w") as out:
            out.write("driver stdout\n")
        return folder

    def make_run(i, name, state="TERMINATED", tasks=None, job_clusters=None, start=None):
        run_id = big + 1 + 2 * i
        run = {"job_id": big + 1001 + i % 3, "run_id": run_id, "job_run_id": run_id,
               "number_in_job": run_id, "run_name": name, "run_type": "JOB_RUN",
               "state": {"life_cycle_state": state,
                         **({"result_state": "SUCCESS"} if state == "TERMINATED" else {})},
               "start_time": start if start is not None else now_ms - (i + 1) * 60_000,
               "end_time": 0 if state == "RUNNING" else now_ms - i * 60_000,
               "git_source": {"git_url": "https://github.com/acme/pipelines", "git_provider": "gitHub",
                              "git_branch": "main", "git_snapshot": {"used_commit": f"{i:040x}"}},
               "tasks": tasks or [], "job_clusters": job_clusters or []}
        runs.append(run)
        return run

    def cluster(i, dest):
        cid = f"0923-164208-c{i:04d}"
        conf = {"s3": {"destination": dest, "region": "us-west-2"}} if dest.startswith("s3:") else \
            ({"volumes": {"destination": dest}} if "/Volumes/" in dest else {"dbfs": {"destination": dest}})
        clusters[cid] = {"cluster_id": cid, "cluster_name": f"job-run-{i}", "cluster_source": "JOB",
                         "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge",
                         "driver_node_type_id": "i3.xlarge", "num_workers": 2 + i % 4,
                         "spark_context_id": 4348585301701786933 + i,
                         "driver": {"private_ip": f"10.0.{i // 250}.{i % 250 + 2}"},
                         "cluster_log_conf": conf, "state": "TERMINATED", "runtime_engine": "PHOTON"}
        return cid, conf

    def task(key, task_run_id, cid, ctx, **extra):
        t = {"task_key": key, "run_id": task_run_id,
             "state": {"life_cycle_state": "TERMINATED"},
             "notebook_task": {"notebook_path": f"notebooks/{key}", "source": "GIT"}}
        if cid:
            t["cluster_instance"] = {"cluster_id": cid, "spark_context_id": str(ctx)}
        t.update(extra)
        return t

    for i in range(runs_wanted):
        name = LOGS[i % len(LOGS)]
        data = open(os.path.join(EVENTLOGS, SPARK_EVENTS, name), "rb").read()
        dest = "dbfs:/cluster-logs" if i % 2 == 0 else "/Volumes/main/ops/cluster_logs"
        cid, conf = cluster(i, dest)
        ctx = clusters[cid]["spark_context_id"]
        ip = clusters[cid]["driver"]["private_ip"]
        folder = place(dest, cid, ip, ctx, data, rolled=i % 3 == 0)
        task_run_id = big + 1_000_001 + 2 * i
        # Where the run says logs go: the job cluster, the task's new
        # cluster, or nowhere (an existing cluster: clusters/get tells).
        if i % 3 == 0:
            t = task("main", task_run_id, cid, ctx, job_cluster_key="jc")
            make_run(i, name, tasks=[t], job_clusters=[{"job_cluster_key": "jc", "new_cluster": {
                "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2,
                "cluster_log_conf": conf}}])
        elif i % 3 == 1:
            t = task("main", task_run_id, cid, ctx, new_cluster={"cluster_log_conf": conf})
            if i == 1:
                # 120 condition tasks first: the Spark task is on runs/get's
                # second page of tasks (2.2 pages them by 100).
                gates = [{"task_key": f"gate{k}", "run_id": task_run_id + 10_000 + k,
                          "condition_task": {"op": "EQUAL_TO", "left": "1", "right": "1"},
                          "state": {"life_cycle_state": "TERMINATED"}} for k in range(120)]
                make_run(i, name, tasks=gates + [t])
                # A driver that restarted: another host folder, another context.
                place(dest, cid, "10.9.9.9", ctx + 1000, data, rolled=False)
            else:
                make_run(i, name, tasks=[t])
        else:
            t = task("main", task_run_id, cid, ctx, existing_cluster_id=cid)
            make_run(i, name, tasks=[t])
        expected.append({"run_id": runs[-1]["run_id"], "job_id": runs[-1]["job_id"],
                         "task_run_id": task_run_id, "task_key": "main", "cluster_id": cid,
                         "folder": folder, "log": name, "status": "complete"})
    n = runs_wanted
    # An all-purpose cluster shared by two runs: one application, two runs.
    shared_cid, shared_conf = cluster(n, "dbfs:/cluster-logs")
    shared_ctx = clusters[shared_cid]["spark_context_id"]
    shared_folder = place("dbfs:/cluster-logs", shared_cid, clusters[shared_cid]["driver"]["private_ip"],
                          shared_ctx, open(os.path.join(EVENTLOGS, SPARK_EVENTS, LOGS[-2]), "rb").read(),
                          rolled=False)
    for k in (1, 2):
        tid = big + 1_000_001 + 2 * (n + k)
        make_run(n + k, "shared-" + str(k),
                 tasks=[task("adhoc", tid, shared_cid, shared_ctx, existing_cluster_id=shared_cid)])
        expected.append({"run_id": runs[-1]["run_id"], "job_id": runs[-1]["job_id"], "task_run_id": tid,
                         "task_key": "adhoc", "cluster_id": shared_cid, "folder": shared_folder,
                         "log": LOGS[-2], "status": "complete"})
    # A run still going: its log has no end yet.
    cid, conf = cluster(n + 3, "dbfs:/cluster-logs")
    ctx = clusters[cid]["spark_context_id"]
    live = open(os.path.join(EVENTLOGS, SPARK_EVENTS, LOGS[-1]), "rb").read()
    live = b"".join(l for l in live.splitlines(keepends=True) if b"SparkListenerApplicationEnd" not in l)
    folder = place("dbfs:/cluster-logs", cid, clusters[cid]["driver"]["private_ip"], ctx, live, rolled=False)
    tid = big + 1_000_001 + 2 * (n + 3)
    make_run(n + 3, "running", state="RUNNING",
             tasks=[task("live", tid, cid, ctx, new_cluster={"cluster_log_conf": conf})])
    expected.append({"run_id": runs[-1]["run_id"], "job_id": runs[-1]["job_id"], "task_run_id": tid,
                     "task_key": "live", "cluster_id": cid, "folder": folder, "log": LOGS[-1],
                     "status": "in_progress"})
    # Runs whose logs cannot be had, each for its own reason.
    make_run(n + 4, "serverless", tasks=[task("sql", big + 1_000_001 + 2 * (n + 4), None, None)])
    cid, conf = cluster(n + 5, "s3://acme-logs/cluster-logs")
    make_run(n + 5, "to-s3", tasks=[task("s3", big + 1_000_001 + 2 * (n + 5), cid, 1, existing_cluster_id=cid)])
    cid, conf = cluster(n + 6, "dbfs:/cluster-logs")
    make_run(n + 6, "not-delivered", tasks=[task("late", big + 1_000_001 + 2 * (n + 6), cid, 7,
                                                 existing_cluster_id=cid)])
    # Outside a 24 h window: must not be fetched.
    cid, conf = cluster(n + 7, "dbfs:/cluster-logs")
    ctx = clusters[cid]["spark_context_id"]
    place("dbfs:/cluster-logs", cid, clusters[cid]["driver"]["private_ip"], ctx,
          open(os.path.join(EVENTLOGS, SPARK_EVENTS, LOGS[0]), "rb").read(), rolled=False)
    make_run(n + 7, "old", start=now_ms - 3 * 86_400_000,
             tasks=[task("old", big + 1_000_001 + 2 * (n + 7), cid, ctx, existing_cluster_id=cid)])
    runs.sort(key=lambda r: r["start_time"], reverse=True)
    with open(os.path.join(root, "workspace.json"), "w") as out:
        json.dump({"runs": runs, "clusters": clusters}, out)
    with open(os.path.join(root, "manifest.json"), "w") as out:
        json.dump({"expected": expected, "skipped_run_names": ["serverless", "to-s3", "not-delivered"],
                   "outside_window_run": runs[-1]["run_id"]}, out, indent=1)


# ---------------------------------------------------------------- serving

class Workspace:
    def __init__(self, args):
        self.args = args
        self.root = os.path.abspath(args.root)
        state = json.load(open(os.path.join(self.root, "workspace.json")))
        self.runs = state["runs"]
        self.clusters = state["clusters"]
        self.random = random.Random(args.fault_seed)
        self.lock = threading.Lock()
        self.tokens = {}  # oauth access token -> expiry (s)
        self.counts = {}
        self._warehouse = None

    @property
    def warehouse(self):
        """The SQL warehouse (standin_warehouse.py), made on first use."""
        with self.lock:
            if self._warehouse is None:
                from standin_warehouse import Warehouse
                a = self.args
                self._warehouse = Warehouse(self.root, a.warehouse_id, a.statement_polls, a.chunk_rows,
                                            a.uc_schemas.split(",") if a.uc_schemas else [], self.runs,
                                            a.fail_statements, a.fail_statements_count)
            return self._warehouse


def error_body(code, message):
    return json.dumps({"error_code": code, "message": message}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "standin-databricks"
    # Headers and body go out in one write with Nagle off: otherwise a
    # client's delayed ACK adds up to 40 ms to every answer.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    # ------------------------------------------------------------ plumbing
    @property
    def ws(self):
        return self.server.workspace

    def answer(self, status, body=b"", content_type="application/json", headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD":
            self._headers_buffer.append(body)
        self.flush_headers()

    def json(self, status, obj):
        self.answer(status, json.dumps(obj).encode())

    def fail(self, status, code, message, headers=None):
        self.answer(status, error_body(code, message), headers=headers)

    def reset(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def inject_fault(self):
        """True when a fault was served instead of the answer."""
        args = self.ws.args
        if args.latency_ms:
            time.sleep(args.latency_ms / 1000)
        with self.ws.lock:
            roll = self.ws.random.random()
            kind = self.ws.random.choice(args.fault_kinds.split(","))
        if roll >= args.fault_rate:
            return False
        with self.ws.lock:
            self.ws.counts[kind] = self.ws.counts.get(kind, 0) + 1
        if kind == "429":
            self.fail(429, "REQUEST_LIMIT_EXCEEDED", "RPC token bucket limit has been exceeded.",
                      {"Retry-After": str(args.retry_after)})
        elif kind == "429-bare":
            self.fail(429, "TOO_MANY_REQUESTS", "Too many requests. Please wait a moment and try again.")
        elif kind == "503":
            self.fail(503, "TEMPORARILY_UNAVAILABLE", "The service is temporarily unavailable.",
                      {"Retry-After": str(args.retry_after)})
        elif kind == "500":
            self.answer(500, b"<html><body><pre>Internal error</pre></body></html>", "text/html")
        elif kind == "reset":
            self.reset()
        elif kind == "slow":
            time.sleep(args.slow_seconds)
            return False
        return True

    def authorised(self):
        header = self.headers.get("Authorization")
        if not header:
            self.fail(401, "UNAUTHENTICATED", "Credential was not sent or was of an unsupported type.")
            return False
        kind, _, value = header.partition(" ")
        ok = kind == "Bearer" and (value == self.ws.args.token or
                                   self.ws.tokens.get(value, 0) > time.time())
        if not ok:
            self.answer(403, json.dumps({"error_code": 403, "message": "Invalid access token."}).encode(),
                        headers={"X-Databricks-Reason-Phrase": "Invalid access token."})
        return ok

    def query(self):
        parsed = urllib.parse.urlsplit(self.path)
        return parsed.path, {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}

    def int_param(self, params, name, required=False):
        if name not in params:
            if required:
                raise ValueError(f"Missing required field: {name}")
            return None
        try:
            return int(params[name])
        except ValueError:
            raise ValueError(f"Invalid {name}: {params[name]!r} is not an integer")

    # ------------------------------------------------------------ routes
    def do_POST(self):
        path, _ = self.query()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        if path == "/oidc/v1/token":
            return self.token(body)
        if self.inject_fault() or not self.authorised():
            return
        if path == "/api/2.0/sql/statements" or path == "/api/2.0/sql/statements/":
            return self.statement_submit(body)
        match = re.fullmatch(r"/api/2.0/sql/statements/([^/]+)/cancel", path)
        if match:
            if not self.ws.warehouse.cancel(match.group(1)):
                return self.fail(404, "RESOURCE_DOES_NOT_EXIST", f"Statement {match.group(1)} does not exist.")
            return self.json(200, {})
        self.fail(404, "ENDPOINT_NOT_FOUND", f"No API found for 'POST {path}'")

    # ------------------------------------------------------------ sql
    def statement_submit(self, body):
        try:
            request = json.loads(body or b"{}")
            if not isinstance(request, dict):
                raise ValueError("the body is not a JSON object")
            _, answer = self.ws.warehouse.submit(request, lambda p: local_path(self.ws.root, p))
        except LookupError as error:
            return self.fail(404, "RESOURCE_DOES_NOT_EXIST", str(error.args[0]))
        except ValueError as error:
            return self.fail(400, "INVALID_PARAMETER_VALUE", str(error))
        self.json(200, answer)

    def statement_get(self, path):
        match = re.fullmatch(r"/api/2.0/sql/statements/([^/]+)(?:/result/chunks/(\d+))?", path)
        if not match:
            return False
        statement_id, chunk = match.groups()
        if chunk is None:
            answer = self.ws.warehouse.poll(statement_id)
        else:
            answer = self.ws.warehouse.chunk(statement_id, int(chunk))
        if answer is None:
            self.fail(404, "RESOURCE_DOES_NOT_EXIST", f"Statement {statement_id} (or that chunk) does not exist.")
        else:
            self.json(200, answer)
        return True

    def token(self, body):
        args = self.ws.args
        expected = "Basic " + base64.b64encode(f"{args.client_id}:{args.client_secret}".encode()).decode()
        form = urllib.parse.parse_qs(body.decode())
        if not args.client_id or self.headers.get("Authorization") != expected:
            return self.json(401, {"error": "invalid_client", "error_description": "Client authentication failed"})
        if form.get("grant_type") != ["client_credentials"]:
            return self.json(400, {"error": "unsupported_grant_type", "error_description": "grant_type"})
        token = base64.urlsafe_b64encode(os.urandom(18)).decode()
        with self.ws.lock:
            self.ws.tokens[token] = time.time() + args.token_ttl
        self.json(200, {"access_token": token, "token_type": "Bearer", "expires_in": args.token_ttl,
                        "scope": "all-apis"})

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        path, params = self.query()
        if path == "/.well-known/databricks-config":
            # databricks-sdk 0.167 finds its OIDC endpoints only through this.
            host = f"http://{self.headers.get('Host')}"
            return self.json(200, {"oidc_endpoint": f"{host}/oidc", "workspace_id": "1234567890123456",
                                   "cloud": "AWS", "host_type": "WORKSPACE_HOST",
                                   "token_federation_default_oidc_audiences": [f"{host}/oidc/v1/token"]})
        if path == "/oidc/.well-known/oauth-authorization-server":
            host = f"http://{self.headers.get('Host')}"
            return self.json(200, {"authorization_endpoint": f"{host}/oidc/v1/authorize",
                                   "token_endpoint": f"{host}/oidc/v1/token"})
        if self.inject_fault() or not self.authorised():
            return
        try:
            for prefix, handler in (
                    ("/api/2.2/jobs/runs/list", lambda: self.runs_list(params)),
                    ("/api/2.1/jobs/runs/list", lambda: self.runs_list(params)),
                    ("/api/2.2/jobs/runs/get", lambda: self.runs_get(params, paged=True)),
                    ("/api/2.1/jobs/runs/get", lambda: self.runs_get(params, paged=False)),
                    ("/api/2.1/clusters/get", lambda: self.clusters_get(params)),
                    ("/api/2.0/clusters/get", lambda: self.clusters_get(params)),
                    ("/api/2.0/dbfs/list", lambda: self.dbfs_list(params)),
                    ("/api/2.0/dbfs/get-status", lambda: self.dbfs_status(params)),
                    ("/api/2.0/dbfs/read", lambda: self.dbfs_read(params))):
                if path == prefix:
                    return handler()
            if path.startswith("/api/2.0/fs/directories/"):
                return self.fs_list(urllib.parse.unquote(path[len("/api/2.0/fs/directories"):]), params)
            if path.startswith("/api/2.0/fs/files/"):
                return self.fs_download(urllib.parse.unquote(path[len("/api/2.0/fs/files"):]))
            if path.startswith("/api/2.0/sql/statements/") and self.statement_get(path):
                return
        except ValueError as error:
            return self.fail(400, "INVALID_PARAMETER_VALUE", str(error))
        self.fail(404, "ENDPOINT_NOT_FOUND", f"No API found for 'GET {path}'")

    def do_DELETE(self):
        path, _ = self.query()
        if self.inject_fault() or not self.authorised():
            return
        if path.startswith("/api/2.0/fs/files/"):
            target = local_path(self.ws.root, urllib.parse.unquote(path[len("/api/2.0/fs/files"):]))
            if not os.path.isfile(target):
                return self.fail(404, "NOT_FOUND", "The file being deleted does not exist.")
            os.remove(target)
            return self.answer(204, b"", "application/octet-stream")
        self.fail(404, "ENDPOINT_NOT_FOUND", f"No API found for 'DELETE {path}'")

    def do_PUT(self):
        path, params = self.query()
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        if self.inject_fault() or not self.authorised():
            return
        if path.startswith("/api/2.0/fs/files/"):
            api = urllib.parse.unquote(path[len("/api/2.0/fs/files"):])
            target = local_path(self.ws.root, api)
            volume = "/".join(api.split("/")[:5])
            if not os.path.isdir(local_path(self.ws.root, volume)):
                # Uploads make folders within a volume, never the volume.
                return self.fail(404, "NOT_FOUND", f"The volume {volume} does not exist.")
            if os.path.exists(target) and params.get("overwrite", "false") != "true":
                return self.fail(409, "ALREADY_EXISTS", "The file being created already exists.")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(body)
            return self.answer(200, b"", "application/octet-stream")
        if path.startswith("/api/2.0/fs/directories/"):
            os.makedirs(local_path(self.ws.root, urllib.parse.unquote(path[len("/api/2.0/fs/directories"):])),
                        exist_ok=True)
            return self.answer(200, b"", "application/octet-stream")
        self.fail(404, "ENDPOINT_NOT_FOUND", f"No API found for 'PUT {path}'")

    # ------------------------------------------------------------ jobs
    def runs_list(self, params):
        limit = self.int_param(params, "limit") or 25
        if not 1 <= limit <= 25:
            raise ValueError(f"limit must be between 1 and 25, got {limit}")
        if params.get("active_only") == "true" and params.get("completed_only") == "true":
            raise ValueError("active_only and completed_only cannot both be true")
        job_id = self.int_param(params, "job_id")
        start_from = self.int_param(params, "start_time_from")
        start_to = self.int_param(params, "start_time_to")
        runs = [r for r in self.ws.runs
                if (job_id is None or r["job_id"] == job_id)
                and (start_from is None or r["start_time"] >= start_from)
                and (start_to is None or r["start_time"] <= start_to)
                and (params.get("active_only") != "true" or r["state"]["life_cycle_state"] == "RUNNING")
                and (params.get("completed_only") != "true" or r["state"]["life_cycle_state"] != "RUNNING")]
        offset = 0
        if params.get("page_token"):
            try:
                offset = int(base64.b64decode(params["page_token"]).decode().split(":")[1])
            except Exception:
                raise ValueError("Invalid page token")
        page = runs[offset:offset + limit]
        expand = params.get("expand_tasks") == "true"
        out = {"runs": [r if expand else {k: v for k, v in r.items() if k not in ("tasks", "job_clusters")}
                        for r in page], "has_more": offset + limit < len(runs)}
        if not out["runs"]:
            del out["runs"]
        if offset + limit < len(runs):
            # Opaque, with characters that must be URL-encoded.
            out["next_page_token"] = base64.b64encode(f"CAEo+/:{offset + limit}:".encode()).decode()
        if offset > 0:
            out["prev_page_token"] = base64.b64encode(f"CAAo+/:{max(0, offset - limit)}:".encode()).decode()
        self.json(200, out)

    def runs_get(self, params, paged):
        run_id = self.int_param(params, "run_id", required=True)
        run = next((r for r in self.ws.runs if r["run_id"] == run_id), None)
        if run is None:
            raise ValueError(f"Run {run_id} does not exist.")
        if not paged:
            return self.json(200, run)
        start = int(params.get("page_token") or 0)
        out = dict(run)
        out["tasks"] = run["tasks"][start:start + 100]
        out["job_clusters"] = run["job_clusters"] if start == 0 else []
        if start + 100 < len(run["tasks"]):
            out["next_page_token"] = str(start + 100)
            out["has_more"] = True
        self.json(200, out)

    def clusters_get(self, params):
        cid = params.get("cluster_id", "")
        if cid not in self.ws.clusters:
            raise ValueError(f"Cluster {cid} does not exist")
        self.json(200, self.ws.clusters[cid])

    # ------------------------------------------------------------ DBFS
    def dbfs_path(self, params):
        path = params.get("path", "")
        if path.startswith("dbfs:"):
            path = path[5:]
        if not path.startswith("/"):
            raise ValueError(f"Path must be absolute: {path}")
        return path, local_path(self.ws.root, path)

    def info(self, api_path, local):
        stat = os.stat(local)
        return {"path": api_path, "is_dir": os.path.isdir(local),
                "file_size": 0 if os.path.isdir(local) else stat.st_size,
                "modification_time": int(stat.st_mtime * 1000)}

    def dbfs_list(self, params):
        path, local = self.dbfs_path(params)
        if not os.path.exists(local):
            return self.fail(404, "RESOURCE_DOES_NOT_EXIST", f"No file or directory exists on path {path}.")
        if not os.path.isdir(local):
            return self.json(200, {"files": [self.info(path, local)]})
        files = [self.info(f"{path.rstrip('/')}/{name}", os.path.join(local, name))
                 for name in sorted(os.listdir(local))]
        self.json(200, {"files": files} if files else {})

    def dbfs_status(self, params):
        path, local = self.dbfs_path(params)
        if not os.path.exists(local):
            return self.fail(404, "RESOURCE_DOES_NOT_EXIST", f"No file or directory exists on path {path}.")
        self.json(200, self.info(path, local))

    def dbfs_read(self, params):
        path, local = self.dbfs_path(params)
        offset = self.int_param(params, "offset") or 0
        length = self.int_param(params, "length")
        length = 512 * 1024 if length is None else length
        if offset < 0 or length < 0:
            raise ValueError("offset and length must be non-negative")
        if length > MAX_DBFS_READ:
            return self.fail(400, "MAX_READ_SIZE_EXCEEDED",
                             f"Cannot read more than 1048576 bytes at a time, asked for {length}")
        if not os.path.exists(local):
            return self.fail(404, "RESOURCE_DOES_NOT_EXIST", f"No file or directory exists on path {path}.")
        if os.path.isdir(local):
            raise ValueError(f"Cannot read a directory: {path}")
        with open(local, "rb") as f:
            f.seek(offset)
            data = f.read(length)
        self.json(200, {"bytes_read": len(data), "data": base64.b64encode(data).decode()})

    # ------------------------------------------------------------ Files API
    def fs_list(self, path, params):
        local = local_path(self.ws.root, path)
        if not os.path.isdir(local):
            return self.fail(404, "NOT_FOUND", f"The directory {path} does not exist.")
        if self.command == "HEAD":
            return self.answer(200)
        size = min(int(params.get("page_size") or 1000), 1000)
        size = max(1, min(size, 2))  # small pages, so clients must follow tokens
        names = sorted(os.listdir(local))
        start = int(params.get("page_token") or 0)
        contents = []
        for name in names[start:start + size]:
            full = os.path.join(local, name)
            entry = {"path": f"{path.rstrip('/')}/{name}" + ("/" if os.path.isdir(full) else ""),
                     "name": name, "is_directory": os.path.isdir(full)}
            if not entry["is_directory"]:
                entry["file_size"] = os.path.getsize(full)
                entry["last_modified"] = int(os.path.getmtime(full) * 1000)
            contents.append(entry)
        out = {"contents": contents}
        if start + size < len(names):
            out["next_page_token"] = str(start + size)
        self.json(200, out)

    def fs_download(self, path):
        local = local_path(self.ws.root, path)
        if not os.path.isfile(local):
            return self.fail(404, "NOT_FOUND", f"The file {path} does not exist.")
        size = os.path.getsize(local)
        modified = email.utils.formatdate(os.path.getmtime(local), usegmt=True)
        headers = {"Last-Modified": modified, "Accept-Ranges": "bytes"}
        with open(local, "rb") as f:
            span = self.headers.get("Range")
            if span and span.startswith("bytes="):
                first, _, last = span[6:].partition("-")
                first = int(first)
                last = min(int(last) if last else size - 1, size - 1)
                if first >= size:
                    return self.answer(416, b"", headers={"Content-Range": f"bytes */{size}"})
                f.seek(first)
                data = f.read(last - first + 1)
                headers["Content-Range"] = f"bytes {first}-{last}/{size}"
                return self.answer(206, data, "application/octet-stream", headers)
            data = f.read()
        self.answer(200, data, "application/octet-stream", headers)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that went away (killed, timed out) is not news.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--seed", action="store_true")
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--token", default="dapi-standin-0123456789abcdef")
    parser.add_argument("--client-id", default="")
    parser.add_argument("--client-secret", default="")
    parser.add_argument("--token-ttl", type=int, default=3600)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--fault-seed", type=int, default=1)
    parser.add_argument("--fault-kinds", default="429,429-bare,503,500,reset,slow",
                        help="which faults --fault-rate draws from")
    parser.add_argument("--retry-after", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=0.3)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--warehouse-id", default="standin0123456789",
                        help="the SQL warehouse's id (statements need duckdb: .venv-databricks)")
    parser.add_argument("--statement-polls", type=int, default=2,
                        help="polls a statement answers RUNNING before its end")
    parser.add_argument("--chunk-rows", type=int, default=40, help="rows per result chunk")
    parser.add_argument("--uc-schemas", default="main.prom",
                        help="CATALOG.SCHEMA,... that exist in Unity Catalog")
    parser.add_argument("--fail-statements", default="",
                        help="a regex: statements it matches end FAILED (--fail-statements-count times)")
    parser.add_argument("--fail-statements-count", type=int, default=1)
    args = parser.parse_args()
    if args.seed:
        seed(args.root, args.runs, int(time.time() * 1000))
    if args.runs > len(LOGS) - 2:
        print(f"note: more than {len(LOGS) - 2} runs repeat applications", file=sys.stderr)
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.workspace = Workspace(args)
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
