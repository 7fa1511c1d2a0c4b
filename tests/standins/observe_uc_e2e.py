#!/usr/bin/env python3
"""End to end: `prometheus observe --databricks --store uc:main.prom` against
the stand-in workspace and its SQL warehouse (DuckDB, standin_warehouse.py),
with injected 429s, 503s, 500s, resets and slow answers on every request.

Checks that a statement that ends FAILED (HTTP 200) fails observe with its
message and that the rerun then stores every run exactly once; that a third
observe adds nothing; that the rows `show --store uc:main.prom` reads back
equal those of the same workspace observed into a local lake, and after
observes SIGKILLed midway and a rerun; that the cost
of each run is the system billing tables' (DBUs and list cost); that
`fix --store uc:` reads the store; that bad stores and a missing warehouse
are one clear line; and that the token appears in no output.
Usage: observe_uc_e2e.py PROMETHEUS_BINARY (exit 77 without .venv-databricks)
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
VENV_PYTHON = os.path.join(HERE, "..", "..", ".venv-databricks", "bin", "python")
TOKEN = "dapi-uc-e2e-secret-31b7"
WAREHOUSE = "standin0123456789"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def run(binary, url, *args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABRICKS_", "PROMETHEUS_"))}
    env.update({"DATABRICKS_HOST": url, "DATABRICKS_TOKEN": TOKEN, "DATABRICKS_WAREHOUSE_ID": WAREHOUSE,
                "DATABRICKS_CONFIG_FILE": os.devnull})
    env.update(env_extra or {})
    result = subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=600, cwd=cwd)
    check(TOKEN not in result.stdout + result.stderr, f"the token appears in the output of {args}")
    return result


def table(binary, url, store, name):
    out = run(binary, url, "show", name, "--store", store, "--format", "csv", "--limit", "0")
    check(out.returncode == 0, f"show {name} --store {store}: exit {out.returncode}: {out.stderr}")
    return list(csv.DictReader(io.StringIO(out.stdout)))


# Where the log was read from and when it was written: not the same in two
# stores by nature. Cost columns are compared apart.
LOCAL_ONLY = {"source_paths", "ingested_at", "collected_at", "estimated_dbus", "estimated_list_cost", "cost_currency",
              "cost_basis"}


def comparable(rows):
    return sorted(json.dumps({k: v for k, v in r.items() if k not in LOCAL_ONLY}, sort_keys=True)
                  for r in rows)


def main():
    if not os.path.exists(VENV_PYTHON):
        print("skipped: no .venv-databricks (run tools/install-deps.sh)")
        sys.exit(77)
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="observe_uc_e2e_")
    root = os.path.join(work, "workspace")
    proc = subprocess.Popen([VENV_PYTHON, os.path.join(HERE, "databricks_workspace.py"), "--root", root,
                             "--token", TOKEN, "--seed", "--runs", "8", "--uc-schemas", "main.prom,main.plain,main.kept,main.killed", "--fault-rate", "0.2",
                             "--slow-seconds", "0.2", "--warehouse-id", WAREHOUSE, "--chunk-rows", "7",
                             "--fail-statements", r"MERGE INTO `main`.`prom`.`prometheus_applications`"],
                            stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    try:
        manifest = json.load(open(os.path.join(root, "manifest.json")))
        expected = manifest["expected"]
        store = "uc:main.prom"
        observe = ["observe", "--databricks", "--since", "24h", "--store", store, "--no-progress",
                   "--format", "json"]

        # The applications' MERGE ends FAILED once: observe fails, saying so.
        first = run(binary, url, *observe)
        check(first.returncode != 0, "observe succeeded although a statement ended FAILED")
        check("ended FAILED" in first.stderr and "[INJECTED]" in first.stderr
              and "prometheus_applications" in first.stderr,
              f"the FAILED statement is not reported: {first.stderr!r}")

        # The rerun stores every run once (the metrics merged by the failed
        # batch are matched, not added again).
        second = run(binary, url, *observe)
        check(second.returncode == 0, f"rerun exit {second.returncode}: {second.stderr}")
        summary = json.loads(second.stdout) if second.returncode == 0 else {}
        dbx = summary.get("databricks", {})
        print(f"rerun: {dbx.get('requests')} requests, {dbx.get('retries')} retried")
        check(dbx.get("retries", 0) > 0, "no request was retried: the faults were not injected")
        apps = table(binary, url, store, "prometheus_applications")
        tasks = [r["task_run_id"] for r in apps]
        check(len(tasks) == len(set(tasks)), f"a task run stored twice: {sorted(tasks)}")
        check(sorted(tasks) == sorted(str(e["task_run_id"]) for e in expected),
              f"stored task runs {sorted(tasks)}, expected {sorted(str(e['task_run_id']) for e in expected)}")
        for want in expected:
            row = next((r for r in apps if r["task_run_id"] == str(want["task_run_id"])), None)
            if row:
                check(row["run_id"] == str(want["run_id"]) and row["job_id"] == str(want["job_id"])
                      and row["status"] == want["status"], f"task run {want['task_run_id']}: {row['run_id']}/"
                      f"{row['job_id']} {row['status']}")
        # Each run's cost is the billing tables' (the stand-in's own join).
        billed = json.load(open(os.path.join(root, "billing_expected.json")))
        for row in apps:
            want = billed.get(row["run_id"])
            check(want is not None and row["cost_basis"].startswith("billed: system.billing.usage")
                  and abs(float(row["estimated_dbus"]) - want[0]) < 1e-9
                  and abs(float(row["estimated_list_cost"]) - want[1]) < 1e-9 and row["cost_currency"] == "USD",
                  f"run {row['run_id']}: cost {row['estimated_dbus']} DBU {row['estimated_list_cost']} "
                  f"{row['cost_currency']} ({row['cost_basis']}), billed {want}")
        staging = os.path.join(root, "Volumes", "main", "prom", "prometheus_staging")
        left = [f for _, _, files in os.walk(staging) for f in files]
        # The failed MERGE's file stays (a batch cut short); loaded ones do not.
        check(len(left) <= 1, f"staged files left after loading: {left}")
        metrics = table(binary, url, store, "prometheus_metrics")
        keys = [(r["app_id"], r["task_run_id"], r["stage_id"], r["stage_attempt_id"]) for r in metrics]
        check(len(keys) == len(set(keys)), "a stage row stored twice")

        # A third observe adds nothing.
        third = run(binary, url, *observe)
        check(third.returncode == 0, f"third observe exit {third.returncode}: {third.stderr}")
        if third.returncode == 0:
            again = json.loads(third.stdout)
            check(again["applications_appended"] == 0 and again["applications_replaced"] == 0,
                  f"the third observe stored {again['applications_appended']} new, "
                  f"{again['applications_replaced']} replaced")
        check(comparable(table(binary, url, store, "prometheus_applications")) == comparable(apps),
              "the third observe changed prometheus_applications")
        check(len(table(binary, url, store, "prometheus_metrics")) == len(metrics),
              "the third observe changed prometheus_metrics")

        # Killed midway (statements run slow enough to be caught), then run
        # again: the same rows as the clean store.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABRICKS_", "PROMETHEUS_"))}
        env.update({"DATABRICKS_HOST": url, "DATABRICKS_TOKEN": TOKEN, "DATABRICKS_WAREHOUSE_ID": WAREHOUSE,
                    "DATABRICKS_CONFIG_FILE": os.devnull})
        for delay in (0.6, 1.2, 1.8):
            victim = subprocess.Popen([binary, "observe", "--databricks", "--since", "24h", "--store",
                                       "uc:main.killed", "--no-progress"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
        rerun = run(binary, url, "observe", "--databricks", "--since", "24h", "--store", "uc:main.killed",
                    "--no-progress")
        check(rerun.returncode == 0, f"rerun after SIGKILL exit {rerun.returncode}: {rerun.stderr}")
        check(comparable(table(binary, url, "uc:main.killed", "prometheus_applications")) == comparable(apps)
              and comparable(table(binary, url, "uc:main.killed", "prometheus_metrics")) == comparable(metrics),
              "killed observes and a rerun differ from a clean run")

        # The same workspace into a local lake: the same rows.
        lake = os.path.join(work, "lake")
        local = run(binary, url, "observe", "--databricks", "--since", "24h", "--store", lake, "--no-progress")
        check(local.returncode == 0, f"observe into a lake exit {local.returncode}: {local.stderr}")
        local_apps = table(binary, url, lake, "prometheus_applications")
        check(comparable(local_apps) == comparable(apps),
              "prometheus_applications read back from uc:main.prom differs from the local lake's")
        # (These logs name no Databricks cluster: nothing to estimate from.)
        check(all(r["cost_basis"] in ("", ) or r["cost_basis"].startswith("estimate") for r in local_apps),
              f"without a warehouse a cost is not labelled an estimate: {[r['cost_basis'] for r in local_apps][:2]}")
        check(comparable(table(binary, url, lake, "prometheus_metrics")) == comparable(metrics),
              "prometheus_metrics read back from uc:main.prom differs from the local lake's")
        check(not os.path.exists(os.path.join(lake, "_databricks")) or
              sum(len(files) for _, _, files in os.walk(os.path.join(lake, "_databricks"))) <= 2,
              "the local copies of stored runs' logs were left under <store>/_databricks")

        # PROMETHEUS_STORAGE names the store too.
        by_env = run(binary, url, "observe", "--databricks", "--since", "24h", "--no-progress",
                     env_extra={"PROMETHEUS_STORAGE": store})
        check(by_env.returncode == 0 and "0 application attempt(s) appended" in by_env.stdout,
              f"PROMETHEUS_STORAGE=uc:...: exit {by_env.returncode}: {by_env.stdout} {by_env.stderr}")

        # --keep-logs keeps the copies that recommend reads again.
        kept = os.path.join(work, "kept")
        out = run(binary, url, "observe", "--databricks", "--since", "24h", "--store", kept, "--no-progress",
                  "--keep-logs")
        check(out.returncode == 0 and sum(len(f) for _, _, f in os.walk(os.path.join(kept, "_databricks")))
              >= len(expected), f"--keep-logs: exit {out.returncode}, copies not kept")

        # With the copies kept, recommend over a uc: store of workspace runs:
        # impacts name the billed cost at stake.
        out = run(binary, url, "observe", "--databricks", "--since", "24h", "--store", "uc:main.kept",
                  "--no-progress", "--keep-logs", cwd=work)
        check(out.returncode == 0, f"observe --keep-logs into uc:main.kept: {out.stderr}")
        out = run(binary, url, "recommend", "--store", "uc:main.kept", cwd=work)
        check(out.returncode == 0, f"recommend --store uc:main.kept: {out.stderr}")
        bases = [r["impact_basis"] for r in table(binary, url, "uc:main.kept", "prometheus_recommendations")]
        check(any("cost at stake" in b and "of its billed" in b for b in bases),
              f"no recommendation names the billed cost at stake: {bases[:3]}")

        # recommend over a uc: store, from plain logs: the same rows as a
        # lake's; again adds nothing; --all replaces; fix reads them alike.
        logs = os.path.join(HERE, "..", "..", "testdata", "eventlogs")
        plain_uc, plain_lake = "uc:main.plain", os.path.join(work, "plain")
        for target in (plain_uc, plain_lake):
            out = run(binary, url, "observe", "--source", logs, "--store", target, "--no-progress")
            check(out.returncode == 0, f"observe --source into {target}: {out.stderr}")
            out = run(binary, url, "recommend", "--store", target)
            check(out.returncode == 0, f"recommend --store {target}: exit {out.returncode}: {out.stderr}")
        recs = table(binary, url, plain_uc, "prometheus_recommendations")
        check(len(recs) > 0, "recommend stored nothing in uc:main.plain")
        without_time = lambda rows: sorted(json.dumps({k: v for k, v in r.items() if k != "created_at"},
                                                      sort_keys=True) for r in rows)
        check(without_time(recs) == without_time(table(binary, url, plain_lake, "prometheus_recommendations")),
              "prometheus_recommendations in uc:main.plain differs from the lake's")
        again = run(binary, url, "recommend", "--store", plain_uc)
        check("for 0 application attempt(s)" in again.stdout, f"recommend again: {again.stdout}")
        replaced = run(binary, url, "recommend", "--store", plain_uc, "--all")
        check("replaced" in replaced.stdout and
              without_time(table(binary, url, plain_uc, "prometheus_recommendations")) == without_time(recs),
              f"recommend --all did not replace the rows one for one: {replaced.stdout}")
        repo = os.path.join(work, "repo")
        os.makedirs(repo)
        from_uc = run(binary, url, "fix", "--store", plain_uc, "--repo", repo)
        from_lake = run(binary, url, "fix", "--store", plain_lake, "--repo", repo)
        # (In another order: the store's rows come ordered by id, a lake's by file.)
        check(from_uc.returncode == from_lake.returncode == 0 and from_uc.stdout == from_lake.stdout
              and sorted(from_uc.stderr.splitlines()) == sorted(from_lake.stderr.splitlines()),
              f"fix --store uc: differs from fix --store DIR: {from_uc.stderr!r} / {from_lake.stderr!r}")

        # Bad names and a missing warehouse: one line saying what to do.
        for bad in ("uc:main", "uc:main.prom;DROP TABLE x", "uc:main.`prom`", "uc:1main.prom"):
            out = run(binary, url, "show", "prometheus_metrics", "--store", bad)
            check(out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1 and "CATALOG.SCHEMA" in out.stderr,
                  f"--store {bad}: exit {out.returncode}, {out.stderr!r}")
        out = run(binary, url, "show", "prometheus_metrics", "--store", store,
                  env_extra={"DATABRICKS_WAREHOUSE_ID": ""})
        check(out.returncode == 2 and "DATABRICKS_WAREHOUSE_ID" in out.stderr,
              f"no warehouse: exit {out.returncode}, {out.stderr!r}")
        out = run(binary, url, "show", "prometheus_metrics", "--store", "uc:nowhere.prom")
        check(out.returncode != 0 and "FAILED" in out.stderr and len(out.stderr.strip().splitlines()) == 1,
              f"a missing catalog: exit {out.returncode}, {out.stderr!r}")
    finally:
        proc.kill()
        proc.wait()
    print(f"{'FAILED' if failures else 'passed'}: {len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
