#!/usr/bin/env python3
"""End to end: `prometheus observe --databricks` against the stand-in
workspace with injected 429s, 503s, 500s, resets and slow answers.

Checks that every completed run in the window is stored exactly once per
task run with the Jobs API's exact int64 ids, the running one as
in_progress, nothing from outside the window; that the stored KPIs equal
`observe --source` on the same log folders; that a second observe adds
nothing; that a SIGKILLed observe followed by a rerun equals a clean run;
that a wrong token is one clear line; and that the token appears in no
output. Usage: observe_databricks_e2e.py PROMETHEUS_BINARY
"""
import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = "dapi-e2e-secret-5f3c9a"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def start_standin(root, *extra):
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "databricks_workspace.py"),
                             "--root", root, "--token", TOKEN, *extra],
                            stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


def observe(binary, url, store, *extra, token=TOKEN, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATABRICKS_")}
    env.update({"DATABRICKS_HOST": url, "DATABRICKS_TOKEN": token, "HOME": store + ".home"})
    env.update(env_extra or {})
    result = subprocess.run([binary, "observe", *extra, "--store", store, "--no-progress"],
                            capture_output=True, text=True, env=env, timeout=600)
    check(TOKEN not in result.stdout + result.stderr, f"the token appears in the output of {extra}")
    return result


def table(binary, store, name):
    out = subprocess.run([binary, "show", name, "--store", store, "--format", "csv", "--limit", "0"],
                         capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


RUN_COLUMNS = {"run_id", "job_id", "cluster_id", "task_key", "task_run_id", "task_path", "git_url",
               "git_provider", "git_commit", "source_paths", "ingested_at", "collected_at", "run_scope"}


def kpis(row):
    return {k: v for k, v in row.items() if k not in RUN_COLUMNS}


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="observe_databricks_e2e_")
    root = os.path.join(work, "workspace")
    proc, url = start_standin(root, "--seed", "--runs", "12", "--fault-rate", "0.25",
                              "--slow-seconds", "0.2", "--client-id", "sp-id",
                              "--client-secret", "sp-secret-9d2")
    try:
        manifest = json.load(open(os.path.join(root, "manifest.json")))
        expected = manifest["expected"]
        lake = os.path.join(work, "lake")
        first = observe(binary, url, lake, "--databricks", "--since", "24h", "--format", "json")
        check(first.returncode == 0, f"observe --databricks exit {first.returncode}: {first.stderr}")
        summary = json.loads(first.stdout)
        dbx = summary["databricks"]
        print(f"first observe: {dbx['requests']} requests, {dbx['retries']} retried, "
              f"{dbx['files_downloaded']} files, {dbx['bytes_downloaded']} bytes")
        check(dbx["retries"] > 0, "no request was retried: the faults were not injected")
        check(len(dbx["skipped"]) == 3, f"skipped: {dbx['skipped']}")
        check(dbx["failures"] == [], f"failures: {dbx['failures']}")
        apps = table(binary, lake, "prometheus_applications")
        by_task = {}
        for row in apps:
            check(row["task_run_id"] not in by_task, f"task run {row['task_run_id']} stored twice")
            by_task[row["task_run_id"]] = row
        check(len(apps) == len(expected), f"{len(apps)} applications stored, {len(expected)} expected")
        for want in expected:
            row = by_task.get(str(want["task_run_id"]))
            if row is None:
                check(False, f"task run {want['task_run_id']} of run {want['run_id']} not stored")
                continue
            check(row["run_id"] == str(want["run_id"]) and row["job_id"] == str(want["job_id"]),
                  f"ids of task run {want['task_run_id']}: {row['run_id']}/{row['job_id']}, "
                  f"expected {want['run_id']}/{want['job_id']}")
            check(row["status"] == want["status"], f"{want['task_run_id']}: status {row['status']}")
            check(row["task_key"] == want["task_key"] and row["cluster_id"] == want["cluster_id"],
                  f"{want['task_run_id']}: task {row['task_key']} cluster {row['cluster_id']}")
            check(row["git_commit"] != "" and row["git_url"] == "https://github.com/acme/pipelines",
                  f"{want['task_run_id']}: git {row['git_url']} {row['git_commit']}")
        check(str(manifest["outside_window_run"]) not in {r["run_id"] for r in apps},
              "a run from outside --since 24h was stored")
        metrics = table(binary, lake, "prometheus_metrics")
        run_of_app = {}
        for row in metrics:
            run_of_app.setdefault(row["app_id"], set()).add(row["run_id"])
        check(all(rid != "" for rids in run_of_app.values() for rid in rids),
              "a metrics row without the run's id")
        task_runs = {str(e["task_run_id"]) for e in expected}
        check({row["task_run_id"] for row in metrics} <= task_runs and
              all(row["git_url"] and row["task_key"] for row in metrics),
              "a metrics row without its task run, task key or git source")

        # The same logs, observed as local folders: the same KPIs.
        folders = sorted({want["folder"] for want in expected})
        plain = os.path.join(work, "plain")
        local = observe(binary, url, plain, "--source", *folders)
        check(local.returncode == 0, f"observe --source exit {local.returncode}: {local.stderr}")
        plain_apps = {row["app_id"]: kpis(row) for row in table(binary, plain, "prometheus_applications")}
        for row in apps:
            check(kpis(row) == plain_apps.get(row["app_id"]),
                  f"{row['app_id']} of run {row['run_id']} differs from observe --source")
        check(set(plain_apps) == {row["app_id"] for row in apps}, "not the same applications")
        plain_metrics = sorted(json.dumps(kpis(r), sort_keys=True) for r in table(binary, plain, "prometheus_metrics"))
        seen_metrics = {}
        for row in metrics:
            seen_metrics.setdefault(row["run_id"], []).append(json.dumps(kpis(row), sort_keys=True))
        union = sorted({line for lines in seen_metrics.values() for line in lines})
        check(union == sorted(set(plain_metrics)), "stage rows differ from observe --source")

        # Again: nothing new.
        again = observe(binary, url, lake, "--databricks", "--since", "24h", "--format", "json")
        check(again.returncode == 0, f"second observe exit {again.returncode}: {again.stderr}")
        second = json.loads(again.stdout)
        check(second["applications_appended"] == 0 and second["applications_replaced"] == 0,
              f"the second observe stored {second['applications_appended']} new, "
              f"{second['applications_replaced']} replaced")
        check(second["databricks"]["files_downloaded"] == 0, "the second observe downloaded again")
        check(len(table(binary, lake, "prometheus_applications")) == len(apps), "rows changed")

        # The running run's log grows (its application ends): fetched again
        # and the in-progress row replaced.
        live = next(e for e in expected if e["status"] == "in_progress")
        original = os.path.join(os.path.dirname(HERE), "..", "..", "shared", "eventlogs",
                                "apache__spark/core/src/test/resources/spark-events", live["log"])
        ending = [l for l in open(original, "rb").read().splitlines(keepends=True)
                  if b"SparkListenerApplicationEnd" in l]
        with open(os.path.join(live["folder"], "eventlog"), "ab") as log:
            log.write(b"".join(ending))
        grown = observe(binary, url, lake, "--databricks", "--since", "24h", "--format", "json")
        check(grown.returncode == 0, f"observe after growth exit {grown.returncode}: {grown.stderr}")
        grown_summary = json.loads(grown.stdout)
        check(grown_summary["applications_replaced"] == 1 and grown_summary["applications_appended"] == 0,
              f"after the live log grew: {grown_summary['applications_appended']} appended, "
              f"{grown_summary['applications_replaced']} replaced")
        now = {r["task_run_id"]: r for r in table(binary, lake, "prometheus_applications")}
        check(now[str(live["task_run_id"])]["status"] == "complete" and len(now) == len(apps),
              "the grown log's row is not complete, or rows were added")

        # --databricks and --source together, into a new store.
        both = os.path.join(work, "both")
        # No --since: the plain log (from 2016) and the run outside 24 h count too.
        mixed = observe(binary, url, both, "--databricks", "--source", folders[0])
        check(mixed.returncode == 0, f"--databricks with --source exit {mixed.returncode}: {mixed.stderr}")
        check(len(table(binary, both, "prometheus_applications")) == len(apps) + 2,
              "--databricks with --source did not store both")

        # Killed midway, then run again: the same as a clean run.
        slow_proc, slow_url = start_standin(root, "--latency-ms", "40", "--fault-rate", "0.1")
        try:
            killed = os.path.join(work, "killed")
            env = {k: v for k, v in os.environ.items() if not k.startswith("DATABRICKS_")}
            env.update({"DATABRICKS_HOST": slow_url, "DATABRICKS_TOKEN": TOKEN})
            victim = subprocess.Popen([binary, "observe", "--databricks", "--since", "24h", "--store",
                                       killed, "--no-progress", "--concurrency", "2"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            rerun = observe(binary, slow_url, killed, "--databricks", "--since", "24h")
            check(rerun.returncode == 0, f"rerun after SIGKILL exit {rerun.returncode}: {rerun.stderr}")
            after = sorted(json.dumps(kpis(r) | {"run_id": r["run_id"], "task_run_id": r["task_run_id"]},
                                      sort_keys=True) for r in table(binary, killed, "prometheus_applications"))
            clean = sorted(json.dumps(kpis(r) | {"run_id": r["run_id"], "task_run_id": r["task_run_id"]},
                                      sort_keys=True) for r in table(binary, lake, "prometheus_applications"))
            check(after == clean, "a killed observe and a rerun differ from a clean run")
        finally:
            slow_proc.kill()
            slow_proc.wait()

        # OAuth M2M from the environment, one job only.
        job = expected[0]["job_id"]
        m2m = os.path.join(work, "m2m")
        oauth = observe(binary, url, m2m, "--databricks", "--since", "24h", "--job-id", str(job), token="",
                        env_extra={"DATABRICKS_CLIENT_ID": "sp-id", "DATABRICKS_CLIENT_SECRET": "sp-secret-9d2"})
        check(oauth.returncode == 0, f"OAuth M2M exit {oauth.returncode}: {oauth.stderr}")
        check("sp-secret-9d2" not in oauth.stdout + oauth.stderr, "the client secret appears in the output")
        jobs = {row["job_id"] for row in table(binary, m2m, "prometheus_applications")}
        want = sum(1 for e in expected if e["job_id"] == job)
        check(jobs == {str(job)} and len(table(binary, m2m, "prometheus_applications")) == want,
              f"--job-id {job}: stored jobs {jobs}")

        # A named profile of ~/.databrickscfg, nothing in the environment.
        profiled = os.path.join(work, "profiled")
        os.makedirs(profiled + ".home", exist_ok=True)
        with open(os.path.join(profiled + ".home", ".databrickscfg"), "w") as cfg:
            cfg.write(f"[DEFAULT]\nhost = https://nowhere.invalid\ntoken = x\n\n[standin]\nhost = {url}\n"
                      f"token = {TOKEN}\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATABRICKS_")}
        env["HOME"] = profiled + ".home"
        by_profile = subprocess.run([binary, "observe", "--databricks", "--profile", "standin", "--since", "24h",
                                     "--store", profiled, "--no-progress"], capture_output=True, text=True,
                                    env=env, timeout=600)
        check(by_profile.returncode == 0, f"--profile exit {by_profile.returncode}: {by_profile.stderr}")
        check(TOKEN not in by_profile.stdout + by_profile.stderr, "the token appears with --profile")
        check(len(table(binary, profiled, "prometheus_applications")) == len(apps), "--profile stored otherwise")

        # A wrong token: one line naming where it came from and what to set.
        wrong = observe(binary, url, os.path.join(work, "wrong"), "--databricks", token="dapi-wrong")
        lines = wrong.stderr.strip().splitlines()
        check(wrong.returncode == 2 and len(lines) == 1 and "Invalid access token" in lines[0]
              and "DATABRICKS_TOKEN" in lines[0] and "dapi-wrong" not in wrong.stderr,
              f"a wrong token: exit {wrong.returncode}, {wrong.stderr!r}")
    finally:
        proc.kill()
        proc.wait()
    print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
