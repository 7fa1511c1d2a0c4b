#!/usr/bin/env python3
"""End to end: the closed loop (issue 14) against the GitHub stand-in
(github_forge.py), with a real git repository and a real Spark run.

The job is scenarios/missed_broadcast.py, run once by pyspark
(scenarios/run.py, cached in .cache/scenario-logs). Its real event log is
observed as three nightly runs before the fix (copies of the log moved back
in time, each its own application); `recommend` finds the missed broadcast.
Then:
  - `propose` (dry run) prints the diff and the body, pushes nothing;
  - `propose --push` opens one pull request whose body has the real
    before-figures, one commit per fix; again (through injected primary and
    secondary rate limits): the same pull request, no duplicate;
  - closed without merging, its findings are suppressed; reopened, it is
    the same pull request again;
  - a human commit on the branch is never overwritten; Prometheus comments
    once;
  - merged in the stand-in, `verify --push` says "not enough runs yet";
    after three runs past the merge, it comments the measured deltas; when
    the runs after are slower beyond the noise band, it opens a revert pull
    request whose tree is the default branch's before the merge.
Twice, the runs after the merge being a real pyspark run of the merged code
(cached by its content): once with a harmless human commit, where the fix's
real effect (the shuffle gone, less task time; the wall time of this small
job stays within the machine's noise) is verified as less work; once with a
deliberately harmful human commit (2000 shuffle partitions) merged with the
fix (about 2 minutes once), slower beyond the noise. Each side's three runs
are its real log at three paces (JITTER), as runs vary on a cluster.
The token appears in no output, commit or pull request. The push also runs
over HTTP (git's smart HTTP behind Basic auth) and over SSH (a real sshd on
localhost, the user's ssh-agent, the host key checked against known_hosts).

Usage: closed_loop_e2e.py PROMETHEUS_BINARY
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TOKEN = "ghs_e2eSecretToken1234567890"
OWNER_REPO = "acme/etl"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)
    return condition


def sh(*args, cwd=None, env=None):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


def scenario_log(source=None, variant=""):
    """The real event log of scenarios/missed_broadcast.py (uncompressed),
    or of a changed copy of it in `source`."""
    sys.path.insert(0, os.path.join(REPO, "scenarios"))
    import run
    if source is None:
        return run.run("missed_broadcast", codec="none")
    return run.run("missed_broadcast", codec="none", source=source, variant=variant)


# The nightly runs are one real run's log at three paces (x0.97, x1, x1.03),
# as a job's runs vary on a shared cluster; the noise band comes from them.
JITTER = (0.97, 1.0, 1.03)

TIME_KEYS = ("Timestamp", "Submission Time", "Completion Time", "Launch Time", "Finish Time",
             "Getting Result Time", "time")


def retimed(log, out, app_suffix, start_ms, factor):
    """A copy of `log` as another run: application id suffixed, its start
    moved to `start_ms`, every time span multiplied by `factor`."""
    events = [json.loads(line) for line in open(log) if line.strip()]
    origin = next(e["Timestamp"] for e in events if e["Event"] == "SparkListenerApplicationStart")

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, (int, float)) and not isinstance(item, bool) and \
                        (key in TIME_KEYS or key.endswith(" Time")):
                    if item > 10**12:  # an instant: rebased and stretched
                        value[key] = int(start_ms + (item - origin) * factor)
                    else:  # a duration
                        value[key] = type(item)(item * factor)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    with open(out, "w") as f:
        for event in events:
            walk(event)
            if event["Event"] == "SparkListenerApplicationStart":
                event["App ID"] = event["App ID"] + app_suffix
            f.write(json.dumps(event) + "\n")


class Forge:
    def __init__(self, root):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "github_forge.py"), "--root", root,
                                      "--token", TOKEN, "--repo", OWNER_REPO, "--page-size", "2"],
                                     stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        self.bare = os.path.join(root, "acme", "etl.git")

    def call(self, method, path, body=None, auth=True):
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode())
        request.add_header("User-Agent", "e2e")
        if auth:
            request.add_header("Authorization", f"Bearer {TOKEN}")
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read() or b"null")

    def state(self):
        return self.call("GET", "/_standin/state", auth=False)

    def pulls(self):
        return self.state()["pulls"].get(OWNER_REPO, [])

    def comments(self, number):
        return self.state()["comments"].get(f"{OWNER_REPO}#{number}", [])

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def flow(binary, log, tmp, harmful):
    """The whole loop once. Harmless: a human adds a note to the branch.
    Harmful: the human's commit sets 2000 shuffle partitions. Either way the
    runs after the merge are real runs of the merged code."""
    worse = harmful
    forge = Forge(os.path.join(tmp, "forge"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_", "GITLAB_", "AZURE_"))}
    env.update(GITHUB_TOKEN=TOKEN, GITHUB_API_URL=forge.url, GITHUB_REPOSITORY=OWNER_REPO,
               HOME=os.path.join(tmp, "home"))
    outputs = []

    def prometheus(*args, expect=0):
        done = subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=600)
        outputs.append(done.stdout + done.stderr)
        check(done.returncode == expect, f"{' '.join(args[:1])} exited {done.returncode}: {done.stderr}")
        return done.stdout

    try:
        # The job's repository, pushed to the forge's bare repository.
        work = os.path.join(tmp, "work")
        os.makedirs(os.path.join(work, "jobs"))
        for name in ("missed_broadcast.py", "_common.py"):
            shutil.copy(os.path.join(REPO, "scenarios", name), os.path.join(work, "jobs", name))
        git_env = dict(env, GIT_AUTHOR_NAME="Ann", GIT_AUTHOR_EMAIL="ann@example.com",
                       GIT_COMMITTER_NAME="Ann", GIT_COMMITTER_EMAIL="ann@example.com")
        sh("git", "init", "-q", "-b", "main", cwd=work)
        sh("git", "add", ".", cwd=work)
        sh("git", "commit", "-q", "-m", "the nightly job", cwd=work, env=git_env)
        sh("git", "remote", "add", "origin", forge.bare, cwd=work)
        sh("git", "push", "-q", "origin", "main", cwd=work)
        main_before = sh("git", "-C", forge.bare, "rev-parse", "main").strip()

        # Three nightly runs before.
        lake = os.path.join(tmp, "lake")
        before = os.path.join(tmp, "before")
        os.makedirs(before)
        now_ms = int(time.time() * 1000)
        for night, factor in enumerate(JITTER):
            retimed(log, os.path.join(before, f"run-{night}"), f"-n{night}",
                    now_ms - (3 - night) * 86_400_000, factor)
        prometheus("observe", "--source", before, "--store", lake, "--no-progress")
        prometheus("recommend", "--store", lake)

        # Before any pull request, the report shows the diff fix would make.
        early = os.path.join(tmp, "report-early.html")
        prometheus("report", "--store", lake, "--repo", work, "--out", early)
        data = report_data(early)
        check(data["loop"]["pulls"] == [] and
              all(r["pull"] is None for r in data["recommendations"]), f"early report: {data['loop']}")
        would = [r["would_fix"] for r in data["recommendations"] if r["would_fix"]]
        check(would and "+joined = facts.join(F.broadcast(products), \"product_id\")" in would[0],
              f"early report's would-be diff: {[r['would_fix'] for r in data['recommendations']]}")
        browse(early, "--would-fix")

        # A dry run changes nothing anywhere.
        out = prometheus("propose", "--store", lake, "--repo", work)
        check("+joined = facts.join(F.broadcast(products), \"product_id\")" in out, f"dry run diff: {out}")
        check("| 3 | " in out and "dry run" in out, f"dry run body: {out}")
        check(forge.pulls() == [], "a dry run opened a pull request")
        check("prometheus/" not in sh("git", "-C", forge.bare, "branch"), "a dry run pushed")

        # --max-open 0 opens nothing (and pushes nothing).
        out = prometheus("propose", "--store", lake, "--repo", work, "--push", "--max-open", "0")
        check("skipped: 0 Prometheus pull requests are open (--max-open 0)" in out, f"--max-open 0: {out}")
        check(forge.pulls() == [], "--max-open 0 opened a pull request")

        # One pull request, then the same one.
        out = prometheus("propose", "--store", lake, "--repo", work, "--push")
        check("opened #1" in out, f"first propose: {out}")
        pulls = forge.pulls()
        check(len(pulls) == 1, f"{len(pulls)} pull requests after the first propose")
        pr = pulls[0]
        branch = pr["head"]["ref"]
        check(branch.startswith("prometheus/missed-broadcast/"), f"branch {branch}")
        check(sorted(l["name"] for l in pr["labels"]) in (["low", "prometheus"], ["medium", "prometheus"],
                                                          ["high", "prometheus"]), f"labels {pr['labels']}")
        figures = sh(binary, "show", "prometheus_applications", "--store", lake, "--format", "json")
        check("| 3 | " in pr["body"] and "missed_broadcast" in pr["body"], f"body: {pr['body']}")
        log_lines = sh("git", "-C", forge.bare, "log", "--format=%ce %s", f"main..{branch}").splitlines()
        check(len(log_lines) == 1 and log_lines[0].startswith("prometheus@users.noreply.github.com Prometheus: broadcast_hint"),
              f"commits on the branch: {log_lines}")
        message = sh("git", "-C", forge.bare, "log", "-1", "--format=%B", branch)
        check("Recommendation: " in message and "Rule: missed_broadcast" in message and
              "Expected impact:" in message, f"commit message: {message}")
        tip = sh("git", "-C", forge.bare, "rev-parse", branch).strip()

        forge.call("POST", "/_standin/faults", {"primary": 1, "secondary": 1}, auth=False)
        out = prometheus("propose", "--store", lake, "--repo", work, "--push")
        check("unchanged #1" in out, f"second propose: {out}")
        check(len(forge.pulls()) == 1, "the second propose opened another pull request")
        check(sh("git", "-C", forge.bare, "rev-parse", branch).strip() == tip, "the branch moved with nothing new")
        check(forge.state()["faults"]["primary"] == 0 and forge.state()["faults"]["secondary"] == 0,
              "the injected rate limits were not met")

        # An older set of the job's fixes, open on another branch (its body
        # as Prometheus wrote it, with another finding): superseded, closed,
        # and its closing declines nothing.
        old_branch = branch.rsplit("/", 1)[0] + "/0ldf1x05"
        sh("git", "-C", forge.bare, "branch", old_branch, tip)
        old_body = pr["body"].replace('"impact":{', '"impact":{"00000000000000aa":1.0,')
        check(old_body != pr["body"], "the marker's findings were not found in the body")
        old = forge.call("POST", f"/repos/{OWNER_REPO}/pulls",
                         {"head": old_branch, "base": "main", "title": "older", "body": old_body})
        out = prometheus("propose", "--store", lake, "--repo", work, "--push")
        check(f"closed #{old['number']}: superseded" in out, f"propose with an older pull request: {out}")
        closed = [p for p in forge.pulls() if p["number"] == old["number"]][0]
        check(closed["state"] == "closed" and '"kind":"superseded"' in closed["body"], f"superseded: {closed}")
        out = prometheus("propose", "--store", lake, "--repo", work, "--push")
        check("unchanged #1" in out and "suppressed" not in out, f"propose after superseding: {out}")

        # A stale list (the pull request opened meanwhile): the 422 for a
        # duplicate leads to that pull request, not a second one.
        forge.call("POST", "/_standin/faults", {"stale_list": 1}, auth=False)
        out = prometheus("propose", "--store", lake, "--repo", work, "--push")
        check("#1" in out and "opened" not in out, f"propose on a stale list: {out}")
        check(len([p for p in forge.pulls() if p["state"] == "open"]) == 1, "a stale list led to a second pull request")
        check(("POST", f"/repos/{OWNER_REPO}/pulls") in [tuple(r) for r in forge.state()["requests"]][-6:],
              "the stale list did not lead to a create")

        # Closed without merging: suppressed. Reopened: the same one.
        forge.call("POST", f"/_standin/repos/{OWNER_REPO}/pulls/1/close", auth=False)
        out = prometheus("propose", "--store", lake, "--repo", work, "--push")
        check("closed without merging in #1" in out, f"propose after closing: {out}")
        check(len([p for p in forge.pulls() if p["state"] == "open"]) == 0,
              "a closed pull request's findings were proposed again")
        forge.call("PATCH", f"/repos/{OWNER_REPO}/pulls/1", {"state": "open"})
        out = prometheus("propose", "--store", lake, "--repo", work, "--push")
        check("unchanged #1" in out, f"propose after reopening: {out}")

        # A human commit stops Prometheus; it says so once.
        human = os.path.join(tmp, "human")
        sh("git", "clone", "-q", "-b", branch, forge.bare, human)
        if harmful:  # a deliberately harmful change: 2000 tiny shuffle tasks
            job = os.path.join(human, "jobs", "missed_broadcast.py")
            text = open(job).read()
            check('"spark.sql.shuffle.partitions": "8"' in text, "the job's shuffle partitions moved")
            with open(job, "w") as f:
                f.write(text.replace('"spark.sql.shuffle.partitions": "8"', '"spark.sql.shuffle.partitions": "2000"'))
        else:
            with open(os.path.join(human, "jobs", "NOTES.md"), "w") as f:
                f.write("reviewed\n")
        bob = dict(env, GIT_AUTHOR_NAME="Bob", GIT_AUTHOR_EMAIL="bob@example.com",
                   GIT_COMMITTER_NAME="Bob", GIT_COMMITTER_EMAIL="bob@example.com")
        sh("git", "add", ".", cwd=human)
        sh("git", "commit", "-q", "-m", "a human's change", cwd=human, env=bob)
        sh("git", "push", "-q", "origin", branch, cwd=human)
        bob_tip = sh("git", "-C", forge.bare, "rev-parse", branch).strip()
        for _ in range(2):
            out = prometheus("propose", "--store", lake, "--repo", work, "--push")
            check("skipped: bob@example.com committed" in out, f"propose after a human commit: {out}")
        check(sh("git", "-C", forge.bare, "rev-parse", branch).strip() == bob_tip, "the human commit was overwritten")
        hands_off = [c for c in forge.comments(1) if "prometheus-loop:hands-off" in c["body"]]
        check(len(hands_off) == 1, f"{len(hands_off)} hands-off comments")

        # Merged; verify waits for runs.
        merge = forge.call("PUT", f"/repos/{OWNER_REPO}/pulls/1/merge", {})
        check(merge.get("merged") is True, f"merge: {merge}")
        for _ in range(2):
            out = prometheus("verify", "--store", lake, "--repo", work, "--push")
            check("not enough runs yet (3 runs before, 0 after)" in out, f"verify before any run: {out}")
        waiting = [c for c in forge.comments(1) if "Not enough runs yet" in c["body"]]
        check(len(waiting) == 1, f"{len(waiting)} waiting comments")

        # Three runs after the merge.
        after = os.path.join(tmp, "after")
        os.makedirs(after)
        merged_ms = int(time.time() * 1000)
        # The merged code (the fix, and the human's change), run for real by
        # pyspark (cached by its content).
        merged = os.path.join(tmp, "merged")
        os.makedirs(merged)
        for name in ("missed_broadcast.py", "_common.py"):
            with open(os.path.join(merged, name), "w") as f:
                f.write(sh("git", "-C", forge.bare, "show", f"main:jobs/{name}"))
        after_log = scenario_log(source=merged, variant="merged-harmful" if harmful else "merged-fixed")
        for night, factor in enumerate(JITTER):
            retimed(after_log, os.path.join(after, f"run-{night}"), f"-a{night}",
                    merged_ms + (night + 1) * 60_000, factor)
        prometheus("observe", "--source", after, "--store", lake, "--no-progress")
        out = prometheus("verify", "--store", lake, "--repo", work, "--push")
        verdict = "worse" if worse else "improved"
        for line in comments_table(forge, 1):
            print("  ", line, flush=True)
        check(f"#1  missed_broadcast: {verdict} (3 runs before, 3 after)" in out, f"verify: {out}")
        comments = [c for c in forge.comments(1) if "prometheus-loop:verdict" in c["body"]]
        check(len(comments) == 1 and "| duration |" in comments[0]["body"] and
              (worse or "The job does less work (" in comments[0]["body"] and "shuffle -" in comments[0]["body"]
               or "The job got faster" in comments[0]["body"]), f"verdict comment: {comments}")
        pulls = forge.pulls()
        if worse:
            revert = [p for p in pulls if p["head"]["ref"] == "prometheus/revert-1"]
            check(len(revert) == 1 and f"revert opened #{revert[0]['number']}" in out, f"verify did not revert: {out}")
            check(len(revert) == 1 and revert[0]["state"] == "open" and
                  sorted(l["name"] for l in revert[0]["labels"]) == ["prometheus", "revert"] and
                  "| duration |" in revert[0]["body"], f"revert pull request: {revert}")
            same = sh("git", "-C", forge.bare, "rev-parse", "prometheus/revert-1^{tree}", f"{main_before}^{{tree}}")
            # The revert undoes the merge (the human's change with it).
            check(len(set(same.split())) == 1, f"the revert's tree is not main's before the merge: {same}")
        else:
            check(not [p for p in pulls if p["state"] == "open"],
                  f"an improvement opened a pull request: {[p['title'] for p in pulls]}")
        out = prometheus("verify", "--store", lake, "--repo", work, "--push")
        check("already verified" in out, f"verify again: {out}")

        # The lake's report reads the loop back from the forge: the merge
        # marked on the job's trend, the verdict and the revert in the
        # savings, the proposed diff beside the recommendation it carries out.
        page = os.path.join(tmp, "report.html")
        prometheus("report", "--store", lake, "--repo", work, "--out", page)
        data = report_data(page)
        pulls = {p["number"]: p for p in data["loop"]["pulls"]}
        check(1 in pulls and pulls[1]["state"] == "merged" and pulls[1]["verdict"] == verdict and
              pulls[1]["runs_before"] == 3 and pulls[1]["runs_after"] == 3, f"report's pull requests: {pulls}")
        check(pulls[1]["changes"][0]["name"] == "duration" and
              (pulls[1]["changes"][0]["after"] > pulls[1]["changes"][0]["before"]) == worse,
              f"report's measured change: {pulls[1]['changes']}")
        if worse:
            check(pulls[1]["revert"] and pulls[1]["revert"]["number"] == revert[0]["number"],
                  f"report's revert: {pulls[1]}")
        marks = [f for job in data["jobs"] for f in job["fixes"]]
        check([f["number"] for f in marks] == [1] and marks[0]["merged_at"] >= merged_ms - 120_000,
              f"report's merge markers: {marks}")
        carried = [r for r in data["recommendations"] if r["pull"]]
        check(carried and all(r["pull"]["number"] == 1 for r in carried) and
              "+joined = facts.join(F.broadcast(products), \"product_id\")" in carried[0]["pull"]["diff"] and
              "reviewed" not in carried[0]["pull"]["diff"], f"report's proposed diff: {carried[:1]}")
        browse(page)

        # The nightly loop end to end (nothing new to do).
        out = prometheus("run", "--store", lake, "--repo", work, "--push")
        check("recommend:" in out and "propose:" in out and "verify:" in out, f"run: {out}")

        # No secret anywhere.
        everything = "\n".join(outputs) + json.dumps(forge.state()) + \
            sh("git", "-C", forge.bare, "log", "--all", "--format=%B")
        check(TOKEN not in everything, "the token appears in an output, a commit or a pull request")
        print(f"github ({'harmful' if harmful else 'harmless'}): {len(forge.state()['requests'])} requests served",
              flush=True)
    finally:
        forge.stop()


def other_forge_flow(binary, log, kind, tmp):
    """GitLab or Azure DevOps (gitlab_azure_forges.py): one merge request or
    pull request, updated not duplicated through a 429, merged, verified
    (not enough runs, then worse), and reverted by a second one."""
    path = "group/etl" if kind == "gitlab" else "acme/Data/etl"
    root = os.path.join(tmp, "forge")
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "gitlab_azure_forges.py"), "--kind", kind,
                             "--root", root, "--token", TOKEN, "--repo", path], stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    bare = os.path.join(root, path + ".git")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "GH_", "GITLAB_", "AZURE_", "CI_", "SYSTEM_", "BUILD_"))}
    if kind == "gitlab":
        env.update(GITLAB_TOKEN=TOKEN, GITLAB_API_URL=url + "/api/v4", CI_PROJECT_PATH=path)
    else:
        env.update(AZURE_DEVOPS_TOKEN=TOKEN, SYSTEM_COLLECTIONURI=url + "/acme", SYSTEM_TEAMPROJECT="Data",
                   BUILD_REPOSITORY_NAME="etl")
    outputs = []

    def prometheus(*args):
        done = subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=600)
        outputs.append(done.stdout + done.stderr)
        check(done.returncode == 0, f"{kind}: {args[0]} exited {done.returncode}: {done.stderr}")
        return done.stdout

    def state():
        with urllib.request.urlopen(url + "/_standin/state") as answer:
            return json.loads(answer.read())

    def control(what, body=None):
        request = urllib.request.Request(url + "/_standin/" + what, method="POST",
                                         data=json.dumps(body or {}).encode())
        urllib.request.urlopen(request).read()

    try:
        work = os.path.join(tmp, "work")
        os.makedirs(os.path.join(work, "jobs"))
        for name in ("missed_broadcast.py", "_common.py"):
            shutil.copy(os.path.join(REPO, "scenarios", name), os.path.join(work, "jobs", name))
        git_env = dict(env, GIT_AUTHOR_NAME="Ann", GIT_AUTHOR_EMAIL="ann@example.com",
                       GIT_COMMITTER_NAME="Ann", GIT_COMMITTER_EMAIL="ann@example.com")
        sh("git", "init", "-q", "-b", "main", cwd=work)
        sh("git", "add", ".", cwd=work)
        sh("git", "commit", "-q", "-m", "the nightly job", cwd=work, env=git_env)
        sh("git", "remote", "add", "origin", bare, cwd=work)
        sh("git", "push", "-q", "origin", "main", cwd=work)
        lake, before = os.path.join(tmp, "lake"), os.path.join(tmp, "before")
        os.makedirs(before)
        now_ms = int(time.time() * 1000)
        for night in range(3):
            retimed(log, os.path.join(before, f"run-{night}"), f"-n{night}", now_ms - (3 - night) * 86_400_000, 1.0)
        prometheus("observe", "--source", before, "--store", lake, "--no-progress")
        prometheus("recommend", "--store", lake)
        out = prometheus("propose", "--store", lake, "--repo", work, "--push", "--forge", kind)
        check("opened #1" in out, f"{kind}: first propose: {out}")
        control("throttle", {"n": 1})
        out = prometheus("propose", "--store", lake, "--repo", work, "--push", "--forge", kind)
        check("unchanged #1" in out, f"{kind}: second propose: {out}")
        items = state()["items"]
        check(len(items) == 1, f"{kind}: {len(items)} pull requests")
        labels = items[0]["labels"] if kind == "gitlab" else [l["name"] for l in items[0]["labels"]]
        check("prometheus" in labels, f"{kind}: labels {labels}")
        body = items[0]["description"]
        check("| 3 | " in body and "prometheus-loop" in body, f"{kind}: body {body}")
        main_before = sh("git", "-C", bare, "rev-parse", "main").strip()
        control("merge/1")
        out = prometheus("verify", "--store", lake, "--repo", work, "--push", "--forge", kind)
        check("not enough runs yet (3 runs before, 0 after)" in out, f"{kind}: verify: {out}")
        comments = json.dumps(state()["comments"])
        check("Not enough runs yet" in comments, f"{kind}: no waiting comment: {comments}")

        # Three runs after the merge, slower beyond the noise band (the real
        # log's timeline stretched x1.6; GitHub's flow reverts a real slower
        # run): the verdict is commented and a revert is opened on this forge.
        after = os.path.join(tmp, "after")
        os.makedirs(after)
        merged_ms = int(time.time() * 1000)
        for night in range(3):
            retimed(log, os.path.join(after, f"run-{night}"), f"-a{night}", merged_ms + (night + 1) * 60_000, 1.6)
        prometheus("observe", "--source", after, "--store", lake, "--no-progress")
        out = prometheus("verify", "--store", lake, "--repo", work, "--push", "--forge", kind)
        check("#1  missed_broadcast: worse (3 runs before, 3 after)" in out and "revert opened #2" in out,
              f"{kind}: verify after slower runs: {out}")
        verdicts = [c for c in json.dumps(state()["comments"]).split("prometheus-loop:verdict")[1:]]
        check(len(verdicts) == 1 and "| duration |" in verdicts[0], f"{kind}: verdict comment: {state()['comments']}")

        def head_of(item):
            return item.get("source_branch") or item.get("sourceRefName", "")[len("refs/heads/"):]

        reverts = [i for i in state()["items"] if head_of(i) == "prometheus/revert-1"]
        check(len(reverts) == 1, f"{kind}: {len(reverts)} revert pull requests: {state()['items']}")
        if reverts:
            labels = reverts[0]["labels"] if kind == "gitlab" else [l["name"] for l in reverts[0]["labels"]]
            check(sorted(labels) == ["prometheus", "revert"] and "| duration |" in reverts[0]["description"],
                  f"{kind}: revert labels {labels}, body {reverts[0]['description']}")
            trees = sh("git", "-C", bare, "rev-parse", "prometheus/revert-1^{tree}", f"{main_before}^{{tree}}")
            check(len(set(trees.split())) == 1, f"{kind}: the revert's tree is not main's before the merge")
        out = prometheus("verify", "--store", lake, "--repo", work, "--push", "--forge", kind)
        check("already verified" in out, f"{kind}: verify again: {out}")
        check(len([i for i in state()["items"] if head_of(i) == "prometheus/revert-1"]) == 1,
              f"{kind}: a second revert was opened")
        everything = "\n".join(outputs) + json.dumps(state()) + sh("git", "-C", bare, "log", "--all", "--format=%B")
        check(TOKEN not in everything, f"{kind}: the token appears in an output, a commit or a pull request")
        print(f"{kind}: {len(state()['requests'])} requests served", flush=True)
    finally:
        proc.terminate()
        proc.wait()


def pushed_job_and_lake(binary, log, tmp, env, bare, remote):
    """The job's repository pushed to `bare` with `remote` as its origin, and
    a lake of three nightly runs of `log` with their recommendations."""
    work = os.path.join(tmp, "work")
    os.makedirs(os.path.join(work, "jobs"))
    for name in ("missed_broadcast.py", "_common.py"):
        shutil.copy(os.path.join(REPO, "scenarios", name), os.path.join(work, "jobs", name))
    git_env = dict(env, GIT_AUTHOR_NAME="Ann", GIT_AUTHOR_EMAIL="ann@example.com",
                   GIT_COMMITTER_NAME="Ann", GIT_COMMITTER_EMAIL="ann@example.com")
    sh("git", "init", "-q", "-b", "main", cwd=work)
    sh("git", "add", ".", cwd=work)
    sh("git", "commit", "-q", "-m", "the nightly job", cwd=work, env=git_env)
    sh("git", "push", "-q", bare, "main", cwd=work)
    sh("git", "remote", "add", "origin", remote, cwd=work)
    lake, before = os.path.join(tmp, "lake"), os.path.join(tmp, "before")
    os.makedirs(before)
    now_ms = int(time.time() * 1000)
    for night in range(3):
        retimed(log, os.path.join(before, f"run-{night}"), f"-n{night}", now_ms - (3 - night) * 86_400_000, 1.0)
    sh(binary, "observe", "--source", before, "--store", lake, "--no-progress", env=env)
    sh(binary, "recommend", "--store", lake, env=env)
    return work, lake


def http_push_flow(binary, log, tmp):
    """The push and fetch over HTTP with the token from GITHUB_TOKEN through
    libgit2's credentials callback (the stand-in serves git's smart HTTP
    behind Basic auth): the token is in no URL, config or output; a wrong
    token is one clear error."""
    forge = Forge(os.path.join(tmp, "forge"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_", "GITLAB_", "AZURE_"))}
    env.update(GITHUB_TOKEN=TOKEN, GITHUB_API_URL=forge.url, GITHUB_REPOSITORY=OWNER_REPO,
               HOME=os.path.join(tmp, "home"))
    try:
        remote = f"{forge.url}/acme/etl.git"
        work, lake = pushed_job_and_lake(binary, log, tmp, env, forge.bare, remote)
        wrong = dict(env, GITHUB_TOKEN="ghs_wrongTokenValue42")
        done = subprocess.run([binary, "propose", "--store", lake, "--repo", work, "--push"],
                              capture_output=True, text=True, env=wrong)
        check(done.returncode in (1, 2) and "fetch from remote origin" in done.stderr and
              "ghs_wrongTokenValue42" not in done.stdout + done.stderr,
              f"a wrong token: {done.returncode} {done.stderr}")
        done = subprocess.run([binary, "propose", "--store", lake, "--repo", work, "--push"],
                              capture_output=True, text=True, env=env)
        check(done.returncode == 0 and "opened #1" in done.stdout, f"propose over HTTP: {done.stdout}{done.stderr}")
        branches = sh("git", "-C", forge.bare, "branch", "--list", "prometheus/*")
        check("prometheus/missed-broadcast/" in branches, f"nothing pushed over HTTP: {branches}")
        pushes = [r for r in forge.state()["requests"] if r[1].endswith("git-receive-pack")]
        check(len(pushes) >= 1, f"the push did not go through HTTP: {forge.state()['requests']}")
        check(sh("git", "-C", work, "config", "remote.origin.url").strip() == remote, "the remote's URL changed")
        check(TOKEN not in open(os.path.join(work, ".git", "config")).read() + done.stdout + done.stderr,
              "the token appears in .git/config or the output")
        print(f"github over HTTP: {len(forge.state()['requests'])} requests served", flush=True)
    finally:
        forge.stop()


def report_data(page):
    """The data document an HTML report inlines."""
    text = open(page).read()
    start = text.index('type="application/json">') + len('type="application/json">')
    return json.loads(text[start:text.index("</script>", start)])


def browse(page, check_flag="--loop"):
    """The report in Chromium (web/report_test.mjs --loop: markers, savings
    and the proposed diff; --would-fix: the diff fix would make), no console
    error, no request. Skipped without Chromium or web/node_modules."""
    if not os.access(os.environ.get("CHROMIUM", "/usr/bin/chromium"), os.X_OK) or \
            not os.path.isdir(os.path.join(REPO, "web", "node_modules", "playwright-core")):
        print("   report not opened in a browser: no Chromium or web/node_modules", flush=True)
        return
    done = subprocess.run(["node", os.path.join(REPO, "web", "report_test.mjs"), page, check_flag,
                           "--max-ready-ms", "5000"] +
                          (["--screenshots", os.environ["REPORT_SCREENSHOTS"], "--name",
                            "report-loop" if check_flag == "--loop" else "report-would-fix"]
                           if os.environ.get("REPORT_SCREENSHOTS") else []),
                          cwd=os.path.join(REPO, "web"), capture_output=True, text=True)
    print("  ", done.stdout.strip(), flush=True)
    check(done.returncode == 0, f"the report in the browser: {done.stdout}{done.stderr}")


def free_port():
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ssh_push_flow(binary, log, tmp):
    """The push and fetch over SSH with the user's SSH agent, against a real
    OpenSSH server on localhost: the server's host key is checked against
    known_hosts (hashed, as Debian's ssh writes it) before anything is sent,
    an unknown or changed host key is one clear error that pushes nothing,
    and the key is offered only by the agent (the token never goes to the
    SSH server)."""
    sshd = shutil.which("sshd") or "/usr/sbin/sshd"
    if not os.path.exists(sshd) or os.geteuid() != 0 or not shutil.which("ssh-agent"):
        print("ssh: skipped (needs openssh-server, ssh-agent and root; tools/install-deps.sh installs them)")
        return
    keys = os.path.join(tmp, "keys")
    os.makedirs(keys)
    for name in ("host", "user", "impostor"):
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", os.path.join(keys, name))
    port = free_port()
    os.makedirs("/run/sshd", exist_ok=True)
    shutil.copy(os.path.join(keys, "user.pub"), os.path.join(keys, "authorized_keys"))
    config = os.path.join(keys, "sshd_config")
    with open(config, "w") as f:
        f.write(f"Port {port}\nListenAddress 127.0.0.1\nHostKey {keys}/host\n"
                f"AuthorizedKeysFile {keys}/authorized_keys\nPubkeyAuthentication yes\n"
                "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
                "PermitRootLogin prohibit-password\nStrictModes no\nLogLevel VERBOSE\n"
                f"PidFile {keys}/sshd.pid\n")
    sshd_log = os.path.join(keys, "sshd.log")
    server = subprocess.Popen([sshd, "-D", "-e", "-f", config], stderr=open(sshd_log, "w"))
    agent_socket = os.path.join(keys, "agent.sock")
    agent = subprocess.Popen(["ssh-agent", "-D", "-a", agent_socket], stdout=subprocess.DEVNULL)
    forge = Forge(os.path.join(tmp, "forge"))
    try:
        for _ in range(100):
            if os.path.exists(agent_socket) and "listening on" in open(sshd_log).read():
                break
            time.sleep(0.05)
        home = os.path.join(tmp, "home")
        os.makedirs(os.path.join(home, ".ssh"))
        known_hosts = os.path.join(home, ".ssh", "known_hosts")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("GITHUB_", "GH_", "GITLAB_", "AZURE_", "SSH_"))}
        env.update(GITHUB_TOKEN=TOKEN, GITHUB_API_URL=forge.url, GITHUB_REPOSITORY=OWNER_REPO, HOME=home,
                   SSH_AUTH_SOCK=agent_socket)
        sh("ssh-add", "-q", os.path.join(keys, "user"), env=env)
        remote = f"ssh://root@127.0.0.1:{port}{forge.bare}"
        work, lake = pushed_job_and_lake(binary, log, tmp, env, forge.bare, remote)

        def propose():
            return subprocess.run([binary, "propose", "--store", lake, "--repo", work, "--push"],
                                  capture_output=True, text=True, env=env, timeout=120)

        def pushed():
            return sh("git", "-C", forge.bare, "branch", "--list", "prometheus/*").strip()

        name = f"[127.0.0.1]:{port}"
        # Unknown host: refused before authenticating, with what to do.
        done = propose()
        check(done.returncode != 0 and f"the SSH host key of {name} (ssh-ed25519) is not known" in done.stderr
              and f"ssh-keyscan -p {port} 127.0.0.1" in done.stderr, f"ssh, unknown host: {done.stderr}")
        check(pushed() == "", "ssh: pushed to an unknown host")
        # A changed key (the impostor's) for the name: refused, naming the line.
        impostor = open(os.path.join(keys, "impostor.pub")).read().split()[:2]
        with open(known_hosts, "w") as f:
            f.write(f"{name} {' '.join(impostor)}\n")
        sh("ssh-keygen", "-q", "-H", "-f", known_hosts)
        done = propose()
        check(done.returncode != 0 and f"differs from the one in {known_hosts}:1" in done.stderr,
              f"ssh, changed host key: {done.stderr}")
        check(pushed() == "", "ssh: pushed to a host whose key changed")
        # The real key, hashed as Debian's ssh writes it: the push goes through the agent.
        host = open(os.path.join(keys, "host.pub")).read().split()[:2]
        with open(known_hosts, "w") as f:
            f.write(f"{name} {' '.join(host)}\n")
        sh("ssh-keygen", "-q", "-H", "-f", known_hosts)
        check(not open(known_hosts).read().startswith("["), "ssh-keygen -H did not hash the name")
        done = propose()
        check(done.returncode == 0 and "opened #1" in done.stdout, f"ssh, known host: {done.stdout}{done.stderr}")
        check(pushed().startswith("prometheus/missed-broadcast/"), f"ssh: nothing pushed: {pushed()}")
        log_text = open(sshd_log).read()
        check("Accepted publickey for root" in log_text and "ED25519" in log_text,
              f"ssh: the agent's key did not authenticate: {log_text[-800:]}")
        check(TOKEN not in log_text + done.stdout + done.stderr, "ssh: the token reached the SSH server or the output")
        # Without the agent: one clear error.
        no_agent = {k: v for k, v in env.items() if k != "SSH_AUTH_SOCK"}
        done = subprocess.run([binary, "propose", "--store", lake, "--repo", work, "--push"],
                              capture_output=True, text=True, env=no_agent, timeout=120)
        check(done.returncode != 0 and "fetch from remote origin" in done.stderr,
              f"ssh, no agent: {done.returncode} {done.stderr}")
        print(f"github over SSH: host key checked, pushed through the agent", flush=True)
    finally:
        forge.stop()
        agent.terminate()
        server.terminate()
        agent.wait()
        server.wait()


def comments_table(forge, number):
    """The before/after table of the verdict comment, for the log."""
    for comment in forge.comments(number):
        if "prometheus-loop:verdict" in comment["body"]:
            return [l for l in comment["body"].splitlines() if l.startswith("| ")]
    return []


def check_workflow():
    """.github/workflows/prometheus.yml holds the §8.4 checks."""
    text = open(os.path.join(REPO, ".github", "workflows", "prometheus.yml")).read()
    for part in ("schedule:", "issue_comment:", "github.event.issue.pull_request",
                 "startsWith(github.event.comment.body, '/optimize')",
                 '["OWNER","MEMBER","COLLABORATOR"]', "github.event.comment.author_association",
                 "/collaborators/$LOGIN/permission", "pulls/$NUMBER", "refs/pull/${{ github.event.issue.number }}/head",
                 "prometheus run --store"):
        check(part in text, f"the workflow lacks {part}")


def main():
    binary = os.path.abspath(sys.argv[1])
    if not os.path.exists(os.path.join(REPO, ".venv", "bin", "python")):
        print("skipped: no .venv with pyspark (tools/install-deps.sh makes it)")
        return 77
    started = time.monotonic()
    log = scenario_log()
    check_workflow()
    for harmful in (False, True):
        with tempfile.TemporaryDirectory(prefix="prometheus-loop-e2e-") as tmp:
            flow(binary, log, tmp, harmful)
    with tempfile.TemporaryDirectory(prefix="prometheus-loop-e2e-") as tmp:
        http_push_flow(binary, log, tmp)
    with tempfile.TemporaryDirectory(prefix="prometheus-loop-e2e-") as tmp:
        ssh_push_flow(binary, log, tmp)
    for kind in ("gitlab", "azure"):
        with tempfile.TemporaryDirectory(prefix="prometheus-loop-e2e-") as tmp:
            other_forge_flow(binary, log, kind, tmp)
    print(f"closed loop e2e: {len(failures)} failure(s) in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
