"""The Oracle on real positives: each scenario's known problem is flagged by
the rule meant for it, with evidence equal to the History Server's figures,
and the healthy twin is not. Rules whose gates are sized for production
(30 s tasks, 5000 tasks, 1 GiB re-read) get thresholds scaled to these small
runs with --threshold; the rule's logic is unchanged."""
import json
import os
import subprocess

import pytest

SCENARIOS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scenarios")

# scenario -> (rule, --threshold values for a small run)
REAL_POSITIVES = {
    "missed_broadcast": ("missed_broadcast", []),
    "spill": ("spill", []),
    "python_udf": ("python_udf", []),
    "skewed_aggregation": ("skew_time", ["skew_time.skew_min_task=1000"]),
    "tiny_tasks": ("tiny_tasks", ["tiny_tasks.tiny_min_tasks=1000"]),
    "repeated_scan": ("repeated_scan", ["repeated_scan.min_reread_bytes=1000000"]),
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
    with open(os.path.join(SCENARIOS, scenario + ".py")) as f:
        [line] = [n for n, source in enumerate(f, 1) if text in source]
    return line


def hs_stage(history_server, app, stage_id):
    [stage] = history_server.get(
        f"applications/{app['app_id']}/stages/{stage_id}?withSummaries=true")
    return stage


def test_known_problem_is_flagged(case, logs, request, history_server):
    rule, thresholds = REAL_POSITIVES[case[0]]
    app = analyze(request, logs[case], thresholds)
    found = [r for r in app["recommendations"] if r["rule"] == rule]
    assert len(found) == 1, app["recommendations"]
    [rec] = found
    evidence, stage_ids = rec["evidence"], rec["scope"]["stage_ids"]
    assert stage_ids
    if rule == "missed_broadcast":
        flagged = sorted(s["stage_id"] for s in app["stages"] if s["broadcast_miss_flag"])
        assert sorted(stage_ids) == flagged and rec["scope"]["plan_node"] == "SortMergeJoin"
        # 500 rows of (bigint, string) against 2M rows of two bigints.
        assert evidence["small_side_bytes"] < 64 * 1024 < 10 * 2**20 == evidence["threshold_bytes"]
        assert evidence["large_side_bytes"] > 100 * evidence["small_side_bytes"]
        assert (rec["fix"]["kind"], rec["fix"]["join_keys"]) == ("broadcast_hint", ["product_id"])
        site = rec["fix"]["call_site"]
        assert os.path.basename(site["file"]) == "missed_broadcast.py"
        assert site["line"] == action_line("missed_broadcast", "totals.collect()")
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


test_known_problem_is_flagged.scenarios = set(REAL_POSITIVES)


def test_broadcast_twin_is_not_flagged(case, analyses):
    app = analyses[case]
    assert [r for r in app["recommendations"] if r["rule"] == "missed_broadcast"] == []
    assert not any(s["broadcast_miss_flag"] for s in app["stages"])


test_broadcast_twin_is_not_flagged.scenarios = {"broadcast_join"}
