"""The Oracle on real positives: each scenario's known problem is flagged by
the rule meant for it, with evidence equal to the History Server's figures,
and the healthy twin is not. Rules whose gates are sized for production
(30 s tasks, 5000 tasks, 1 GiB re-read, 64 MiB shuffled, 1e8 row pairs)
get thresholds scaled to these small runs with --threshold; the rule's
logic is unchanged."""
import json
import os
import re
import shutil
import subprocess

import pytest
from run import SCENARIOS as ALL_SCENARIOS  # scenarios/run.py, on the path via conftest

SCENARIOS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scenarios")

# scenario -> (rule, --threshold values for a small run)
REAL_POSITIVES = {
    "missed_broadcast": ("missed_broadcast", []),
    "missed_broadcast_sql": ("missed_broadcast", []),
    "missed_broadcast_sqlfile": ("missed_broadcast", []),
    "databricks_notebook": ("missed_broadcast", []),
    "ipynb_notebook": ("missed_broadcast", []),
    "spill": ("spill", []),
    "python_udf": ("python_udf", []),
    "skewed_aggregation": ("skew_time", ["skew_time.skew_min_task=1000"]),
    "skewed_join": ("skew_bytes", ["skew_bytes.skew_bytes_min=1000000"]),
    "few_partitions": ("long_tasks_few_partitions",
                       ["long_tasks_few_partitions.few_partitions_min_task=1000"]),
    "aqe_disabled": ("aqe_disabled", ["aqe_disabled.min_shuffle_bytes=1000000"]),
    "cartesian_join": ("cartesian_join", ["cartesian_join.min_rows=1000000"]),
    "retried_tasks": ("failures", []),
    "python_exception": ("failures", []),
    "fetch_failed": ("failures", []),
    "executor_lost": ("out_of_memory", []),
    "container_killed": ("out_of_memory", []),
    "tiny_tasks": ("tiny_tasks", ["tiny_tasks.tiny_min_tasks=1000"]),
    "repeated_scan": ("repeated_scan", ["repeated_scan.min_reread_bytes=1000000"]),
}

# Missed broadcasts: the small side's join key, the table and the path the
# plan names for it (a catalog table has both, a view over a CSV file only
# the path, a DataFrame made from an RDD neither), and where the action is:
# (file under scenarios/, its text).
MISSED_BROADCASTS = {
    "missed_broadcast": ("product_id", None, None, ("missed_broadcast.py", "totals.collect()")),
    "missed_broadcast_sql": ("product_id", None, "products.csv",
                             ("missed_broadcast_sql.py", "totals.collect()")),
    "missed_broadcast_sqlfile": ("store_id", "stores", "/stores",
                                 ("missed_broadcast_sqlfile.py", "spark.sql(statement).collect()")),
    "databricks_notebook": ("warehouse_id", "warehouses", "/warehouses",
                            ("notebooks/store_sales.py", ".collect())")),
    "ipynb_notebook": ("account_id", "accounts", "/accounts",
                       ("notebooks/signups.ipynb", ".collect())")),
}


def analyze(request, path, thresholds):
    command = [request.config.getoption("prometheus"), "analyze", "--format", "json", path]
    for value in thresholds:
        command += ["--threshold", value]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    [app] = json.loads(done.stdout)["applications"]
    return app


def action_line(scenario, text):
    """1-based line of the scenario's source that contains `text`."""
    return source_line(scenario + ".py", text)


def source_line(name, text):
    """1-based line of scenarios/`name` that contains `text`."""
    with open(os.path.join(SCENARIOS, name)) as f:
        [line] = [n for n, source in enumerate(f, 1) if text in source]
    return line


def notebook_cell(name, text):
    """The cell of notebook scenarios/`name` holding `text`: its code as the
    runtime compiles it, the 1-based line of `text` in it and the cell's
    first line in the file (Databricks source) or its index (.ipynb)."""
    import _notebooks
    path = os.path.join(SCENARIOS, name)
    if name.endswith(".ipynb"):
        with open(path, encoding="utf-8") as f:
            cells = [(i, "".join(c["source"])) for i, c in enumerate(json.load(f)["cells"])
                     if c["cell_type"] == "code"]
    else:
        with open(path) as f:
            cells = _notebooks.databricks_cells(f.read())
    [(where, code)] = [(w, c) for w, c in cells if text in c]
    [line] = [n for n, source in enumerate(code.splitlines(), 1) if text in source]
    return code, line, where


def fix_places(request, tmp_path, rec, notebook):
    """`prometheus fix --format json` of `rec` over a repository holding
    only scenarios/`notebook`: the fixes it reports."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(os.path.join(SCENARIOS, notebook), repo)
    recs = tmp_path / "recs.json"
    recs.write_text(json.dumps({"recommendations": [rec]}))
    done = subprocess.run([request.config.getoption("prometheus"), "fix", "--recommendations",
                           str(recs), "--repo", str(repo), "--format", "json"],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["fixes"]


def check_missed_broadcast(scenario, rec, app, request, tmp_path, history_server):
    key, table, path, (source, action) = MISSED_BROADCASTS[scenario]
    evidence = rec["evidence"]
    # The sides' sizes are the join's exchanges' "data size", as the History
    # Server's /sql prints them (to a tenth of a unit).
    assert evidence["size_metric"] == "data size"
    sizes = hs_sql_sizes(history_server, app, rec["scope"]["sql_execution_id"], "data size")
    for side in ("small_side_bytes", "large_side_bytes"):
        assert any(abs(evidence[side] - total) <= unit / 20 for total, unit in sizes), (
            side, evidence[side], sizes)
    flagged = sorted(s["stage_id"] for s in app["stages"] if s["broadcast_miss_flag"])
    assert sorted(rec["scope"]["stage_ids"]) == flagged
    assert rec["scope"]["plan_node"] == "SortMergeJoin"
    # 500 rows of a key and a short string against 2M rows of two bigints.
    assert evidence["small_side_bytes"] < 64 * 1024 < 10 * 2**20 == evidence["threshold_bytes"]
    assert evidence["large_side_bytes"] > 100 * evidence["small_side_bytes"]
    fix = rec["fix"]
    assert (fix["kind"], fix["join_keys"]) == ("broadcast_hint", [key])
    assert (fix["table"] or "").split(".")[-1] == (table or "")
    assert (fix["path"] or "").endswith(path or "") and bool(fix["path"]) == bool(path)
    site = fix["call_site"]
    if source.endswith(".ipynb"):
        # ipykernel's name for the cell: <tmp>/ipykernel_<pid>/<murmur2>.py.
        import _notebooks
        code, line, index = notebook_cell(source, action)
        assert re.fullmatch(r".*/ipykernel_\d+/\d+\.py", site["file"]), site
        assert os.path.basename(site["file"]) == f"{_notebooks.murmur2(code)}.py"
        assert site["line"] == line
        [placed] = fix_places(request, tmp_path, rec, source)
        assert placed["status"] == "applied" and placed["file"] == os.path.basename(source), placed
        assert f"as cell {index + 1}" in json.dumps(placed), placed
    elif source.startswith("notebooks/"):
        # A Databricks command: .../.ipykernel/<pid>/command-<id>-<n>.
        code, line, first = notebook_cell(source, action)
        assert re.fullmatch(r".*/\.ipykernel/\d+/command-\d+-\d+", site["file"]), site
        assert site["line"] == line
        [placed] = fix_places(request, tmp_path, rec, source)
        assert placed["status"] == "applied" and placed["file"] == os.path.basename(source), placed
        assert placed["line"] == first + line - 1, placed
    else:
        assert os.path.basename(site["file"]) == os.path.basename(source)
        assert site["line"] == source_line(source, action)


def hs_sql_rows(history_server, app, execution_id):
    """{node id: its "number of output rows"} from the History Server's /sql."""
    execution = history_server.get(
        f"applications/{app['app_id']}/sql/{execution_id}?details=true")
    rows = {}
    for node in execution["nodes"]:
        for metric in node["metrics"]:
            if metric["name"] == "number of output rows":
                rows[node["nodeId"]] = (node["nodeName"], int(metric["value"].replace(",", "")))
    return rows


UNITS = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def hs_sql_sizes(history_server, app, execution_id, name):
    """[(bytes, unit)] of every size metric `name` in the History Server's
    /sql: the total it prints ("total (min, med, max ...)\n15.6 KiB (...)")
    in bytes, and the unit it was rounded in."""
    execution = history_server.get(
        f"applications/{app['app_id']}/sql/{execution_id}?details=true")
    sizes = []
    for node in execution["nodes"]:
        for metric in node["metrics"]:
            if metric["name"] == name:
                number, unit = metric["value"].split("\n", 1)[-1].split()[:2]
                sizes.append((float(number) * UNITS[unit], UNITS[unit]))
    assert sizes, execution
    return sizes


def hs_stage(history_server, app, stage_id):
    [stage] = history_server.get(
        f"applications/{app['app_id']}/stages/{stage_id}?withSummaries=true")
    return stage


def test_known_problem_is_flagged(case, logs, request, history_server, tmp_path):
    rule, thresholds = REAL_POSITIVES[case[0]]
    app = analyze(request, logs[case], thresholds)
    found = [r for r in app["recommendations"] if r["rule"] == rule]
    assert len(found) == 1, app["recommendations"]
    [rec] = found
    evidence, stage_ids = rec["evidence"], rec["scope"]["stage_ids"]
    assert stage_ids or rule == "aqe_disabled"
    if rule == "missed_broadcast":
        check_missed_broadcast(case[0], rec, app, request, tmp_path, history_server)
    elif rule == "spill":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        assert stage["diskBytesSpilled"] > 0
        assert (evidence["memory_bytes_spilled"], evidence["disk_bytes_spilled"],
                evidence["executor_run_time_ms"]) == (
            stage["memoryBytesSpilled"], stage["diskBytesSpilled"], stage["executorRunTime"])
        # AQE (on by default) coalesces the sort's shuffle partitions up to
        # its advisory size: the fix lowers that below the largest task's
        # read, since more shuffle partitions alone would be merged back.
        assert evidence["aqe_coalesces"] is True and stage["shuffleReadBytes"] > 0
        fix = rec["fix"]
        assert fix["key"] == "spark.sql.adaptive.advisoryPartitionSizeInBytes", fix
        assert int(fix["value"].rstrip("m")) * 2**20 < evidence["task_read_bytes_max"]
        assert "merged back" in rec["message"]
    elif rule == "skew_time":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        durations = stage["taskMetricsDistributions"]["duration"]  # 0 .25 .5 .75 1
        assert (evidence["task_duration_ms_p50"], evidence["task_duration_ms_p75"],
                evidence["task_duration_ms_max"]) == tuple(int(d) for d in durations[2:])
        # The hot task's time over the median's: 8 to 12 on an idle machine,
        # 7.9 once on a loaded one; DE-T's medium tier (4) is the scenario's
        # floor, the ratio's exact value is the History Server's.
        assert evidence["skew_ratio"] == durations[4] / durations[2] >= 4
    elif rule == "tiny_tasks":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        assert stage["numTasks"] == 2000
        assert (evidence["num_tasks"], evidence["task_duration_ms_p50"],
                evidence["executor_deserialize_time_ms"]) == (
            stage["numTasks"], int(stage["taskMetricsDistributions"]["duration"][2]),
            stage["executorDeserializeTime"])
    elif rule == "repeated_scan":
        assert evidence["queries"] == 3
        assert rec["fix"]["kind"] == "cache" and rec["fix"]["path"].endswith("events.csv")
        # bytes_read is the scans' "size of files read" (the file, 3 times);
        # the stages' input bytes also count what the line reader read past
        # each split's end, so they are a little larger.
        assert evidence["reread_bytes"] == evidence["bytes_read"] * 2 / 3
        scans = [hs_stage(history_server, app, s) for s in stage_ids]
        assert 0 < evidence["bytes_read"] <= sum(s["inputBytes"] for s in scans)
    elif rule == "python_udf":
        stages = [hs_stage(history_server, app, s) for s in stage_ids]
        seconds = sum(s["executorRunTime"] for s in stages) / 1000
        assert evidence["udf_stage_task_seconds"] == pytest.approx(seconds, abs=1e-9)

    elif rule == "skew_bytes":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        # The join stage reads only shuffle data: a task's read is its
        # shuffle read.
        assert stage["inputBytes"] == 0
        reads = stage["taskMetricsDistributions"]["shuffleReadMetrics"]["readBytes"]
        assert (evidence["task_read_bytes_p50"], evidence["task_read_bytes_max"]) == (
            int(reads[2]), int(reads[4]))
        assert evidence["read_skew_ratio"] == reads[4] / reads[2] >= 16
        assert evidence["aqe_enabled"] is False
    elif rule == "long_tasks_few_partitions":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        executors = history_server.get(f"applications/{app['app_id']}/allexecutors")
        assert (evidence["num_tasks"], evidence["app_max_cores"], evidence["under_parallel"]) == (
            stage["numTasks"], sum(e["totalCores"] for e in executors), True) == (1, 2, True)
        assert evidence["task_duration_ms_p50"] == int(
            stage["taskMetricsDistributions"]["duration"][2])
        assert rec["fix"]["kind"] == "repartition" and rec["fix"]["partitions"] >= 6
    elif rule == "aqe_disabled":
        stages = history_server.get(f"applications/{app['app_id']}/stages")
        environment = history_server.get(f"applications/{app['app_id']}/environment")
        settings = dict(environment["sparkProperties"])
        assert settings["spark.sql.adaptive.enabled"] == "false"
        assert evidence["shuffle_write_bytes"] == sum(s["shuffleWriteBytes"] for s in stages)
        assert evidence["shuffle_stages"] == sum(
            1 for s in stages if s["shuffleWriteBytes"] or s["shuffleReadBytes"])
        assert evidence["shuffle_partitions"] == 200  # the default, never adapted
        assert (rec["fix"]["key"], rec["fix"]["value"]) == ("spark.sql.adaptive.enabled", "true")
    elif rule == "cartesian_join":
        assert rec["scope"]["plan_node"] == "BroadcastNestedLoopJoin"
        rows = hs_sql_rows(history_server, app, rec["scope"]["sql_execution_id"])
        # The pairs compared: the rows broadcast times the rows streamed
        # (the other side's two Ranges: 4000 rows each).
        [broadcast] = [r for name, r in rows.values() if name == "BroadcastExchange"]
        ranges = [r for name, r in rows.values() if name == "Range"]
        assert sorted(ranges) == [4000, 4000]
        assert evidence["cross_join_scanned_rows"] == broadcast * 4000 == 4000 * 4000
        assert rec["fix"]["kind"] == "join_condition"
        assert rec["fix"]["call_site"]["line"] == action_line("cartesian_join", "matched.agg(")
    elif rule == "failures":
        check_failure_cause(case[0], rec, app, history_server)
    elif rule == "out_of_memory":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        failed = hs_failed_tasks(history_server, app, stage_ids[0], 0)
        if case[0] == "executor_lost":
            died = [t for t in failed if "OutOfMemoryError" in t["errorMessage"]
                    or "exited with code 52" in t["errorMessage"]]
            assert died and stage["status"] == "FAILED"
            assert (evidence["out_of_memory_tasks"], evidence["failed_tasks"],
                    evidence["stage_status"]) == (len(died), stage["numFailedTasks"], "FAILED")
            assert rec["severity"] == "critical"
            # The JVM's heap: 512m executors get 1.5x, rounded up to a GiB.
            assert evidence["cause"] == "heap_out_of_memory"
            assert (rec["fix"]["key"], rec["fix"]["value"]) == ("spark.executor.memory", "1g")
        else:  # container_killed: SIGKILL, the way a memory limit kills
            [killed] = failed
            assert "Command exited with code 137" in killed["errorMessage"]
            assert stage["status"] == "COMPLETE" and rec["severity"] == "high"
            assert evidence["cause"] == "container_killed"
            [cause] = evidence["causes"]
            assert (cause["count"], cause["exit_code"], cause["executors"]) == (
                1, 137, [killed["executorId"]])
            # Spark's default overhead for 512m is 384m: twice that, in GiB.
            assert (rec["fix"]["key"], rec["fix"]["value"]) == (
                "spark.executor.memoryOverhead", "1g")
            assert "memoryOverhead" in rec["message"]


def hs_failed_tasks(history_server, app, stage_id, attempt):
    """The History Server's failed task attempts of a stage attempt."""
    tasks = history_server.get(f"applications/{app['app_id']}/stages/{stage_id}/{attempt}"
                               "/taskList?length=10000")
    return [t for t in tasks if t["status"] == "FAILED"]


def check_failure_cause(scenario, rec, app, history_server):
    """The cause the failures rule names is the one the History Server's
    task error messages carry, counted alike, at the line that raised."""
    evidence = rec["evidence"]
    [stage_id] = rec["scope"]["stage_ids"]
    attempt = evidence["stage_attempt_id"]
    failed = hs_failed_tasks(history_server, app, stage_id, attempt)
    attempts = history_server.get(f"applications/{app['app_id']}/stages/{stage_id}")
    [stage] = [a for a in attempts if a["attemptId"] == attempt]
    assert evidence["num_failed_tasks"] == len(failed) == stage["numFailedTasks"]
    assert sum(c["count"] for c in evidence["causes"]) == len(failed)
    if scenario in ("retried_tasks", "python_exception"):
        [cause] = evidence["causes"]
        assert cause["cause"] == "task_exception" and cause["reason"] == "ExceptionFailure"
        # Each failed task's error message (the traceback) ends with the
        # error the rule names, numbers aside.
        error = cause["error"]
        assert all(re.sub(r"\d+", "#", error) in re.sub(r"\d+", "#", t["errorMessage"])
                   for t in failed), (error, failed[0]["errorMessage"])
        raised = {"retried_tasks": "raise RuntimeError", "python_exception": "raise ValueError"}
        line = source_line(scenario + ".py", raised[scenario])
        assert cause["location"]["file"].endswith("scenarios/" + scenario + ".py")
        assert cause["location"]["line"] == line
        assert f"{scenario}.py:{line}" in rec["message"]
        assert rec["fix"]["kind"] == "investigate"
        assert rec["fix"]["call_site"]["line"] == line
    if scenario == "retried_tasks":
        assert stage["status"] == "COMPLETE" and len(failed) == 4
        assert evidence["failure_ratio"] == 4 / (8 + 4)
        assert evidence["causes"][0]["error"].startswith("RuntimeError: transient failure")
        assert evidence["retries_succeeded"] is True
        assert "Retries succeeded, so the error is intermittent" in rec["message"]
        assert rec["severity"] == "medium"
    elif scenario == "python_exception":
        # local[2,4]: four attempts of the task that meets the bad row.
        assert stage["status"] == "FAILED" and len(failed) == 4
        assert evidence["causes"][0]["error"] == "ValueError: bad quantity '12x'"
        assert evidence["retries_succeeded"] is False
        assert "which no setting fixes" in rec["message"]
        assert rec["severity"] == "critical"
    elif scenario == "fetch_failed":
        # The reducers' attempt 0 failed to fetch the lost executor's map
        # output; attempt 1 completed.
        assert stage["status"] == "FAILED" and attempt == 0
        assert any(a["status"] == "COMPLETE" for a in attempts)
        by_cause = {c["cause"]: c for c in evidence["causes"]}
        fetches = [t for t in failed if t["errorMessage"].startswith("FetchFailed")]
        assert fetches and by_cause["fetch_failed"]["count"] == len(fetches)
        lost = [t for t in failed if t["errorMessage"].startswith("ExecutorLostFailure")]
        assert by_cause.get("executor_lost", {"count": 0})["count"] == len(lost)
        assert evidence["retries_succeeded"] is True and rec["severity"] == "medium"
        assert "Lost executors take their shuffle output with them" in rec["message"]
        assert "spark.shuffle.service.enabled" in rec["fix"]["advice"]


test_known_problem_is_flagged.scenarios = set(REAL_POSITIVES)


def test_broadcast_twin_is_not_flagged(case, analyses):
    app = analyses[case]
    assert [r for r in app["recommendations"] if r["rule"] == "missed_broadcast"] == []
    assert not any(s["broadcast_miss_flag"] for s in app["stages"])


test_broadcast_twin_is_not_flagged.scenarios = {"broadcast_join"}


# Scenarios whose memory is really short: spill's 512 MiB heap, and the
# executors that died.
MEMORY_SHORT = {"spill", "executor_lost", "container_killed"}


def test_no_memory_alarm_without_pressure(case, analyses):
    """A heap that fills before it collects is no alarm: the healthy
    scenarios and the small ones are never told to raise memory, and no
    task of theirs is said to have died for it."""
    app = analyses[case]
    raised = [r for r in app["recommendations"] if r["rule"] == "executor_memory"
              and r["severity"] != "low"]
    assert raised == [], raised
    assert [r for r in app["recommendations"] if r["rule"] == "out_of_memory"] == []


test_no_memory_alarm_without_pressure.scenarios = set(ALL_SCENARIOS) - MEMORY_SHORT
