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
    "executor_lost": ("out_of_memory", []),
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


def check_missed_broadcast(scenario, rec, app, request, tmp_path):
    key, table, path, (source, action) = MISSED_BROADCASTS[scenario]
    evidence = rec["evidence"]
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
        check_missed_broadcast(case[0], rec, app, request, tmp_path)
    elif rule == "spill":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        assert stage["diskBytesSpilled"] > 0
        assert (evidence["memory_bytes_spilled"], evidence["disk_bytes_spilled"],
                evidence["executor_run_time_ms"]) == (
            stage["memoryBytesSpilled"], stage["diskBytesSpilled"], stage["executorRunTime"])
    elif rule == "skew_time":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        durations = stage["taskMetricsDistributions"]["duration"]  # 0 .25 .5 .75 1
        assert (evidence["task_duration_ms_p50"], evidence["task_duration_ms_p75"],
                evidence["task_duration_ms_max"]) == tuple(int(d) for d in durations[2:])
        assert evidence["skew_ratio"] == durations[4] / durations[2] >= 8
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
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        assert stage["numFailedTasks"] == 4 and stage["status"] == "COMPLETE"
        assert (evidence["num_failed_tasks"], evidence["num_completed_tasks"],
                evidence["status"]) == (stage["numFailedTasks"], stage["numCompleteTasks"],
                                        "COMPLETE")
        assert evidence["failure_ratio"] == 4 / (8 + 4)
        assert rec["severity"] == "medium"
    elif rule == "out_of_memory":
        [stage] = [hs_stage(history_server, app, s) for s in stage_ids]
        tasks = history_server.get(
            f"applications/{app['app_id']}/stages/{stage_ids[0]}/0/taskList?length=1000")
        died = [t for t in tasks if "OutOfMemoryError" in t.get("errorMessage", "")
                or "exited with code 52" in t.get("errorMessage", "")]
        assert died and stage["status"] == "FAILED"
        assert (evidence["out_of_memory_tasks"], evidence["failed_tasks"],
                evidence["stage_status"]) == (len(died), stage["numFailedTasks"], "FAILED")
        assert rec["severity"] == "critical"

test_known_problem_is_flagged.scenarios = set(REAL_POSITIVES)


def test_broadcast_twin_is_not_flagged(case, analyses):
    app = analyses[case]
    assert [r for r in app["recommendations"] if r["rule"] == "missed_broadcast"] == []
    assert not any(s["broadcast_miss_flag"] for s in app["stages"])


test_broadcast_twin_is_not_flagged.scenarios = {"broadcast_join"}
