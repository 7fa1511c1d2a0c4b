"""The Omen against Spark's own History Server: every KPI column that the
History Server also reports equals ours, for every stage attempt, job and
application of every scenario log (docs/KPIS.md, "Checked against real Spark")."""
import math

import pytest

QUANTILES = [0.0, 0.25, 0.5, 0.75, 0.95, 1.0]
# Our column -> the History Server's stage field (same unit).
STAGE_FIELDS = {
    "status": "status", "stage_name": "name", "num_tasks": "numTasks",
    "num_completed_tasks": "numCompleteTasks", "num_failed_tasks": "numFailedTasks",
    "num_killed_tasks": "numKilledTasks", "executor_run_time_ms": "executorRunTime",
    "executor_deserialize_time_ms": "executorDeserializeTime", "jvm_gc_time_ms": "jvmGcTime",
    "result_size_bytes": "resultSize", "input_bytes": "inputBytes",
    "input_records": "inputRecords", "output_bytes": "outputBytes",
    "output_records": "outputRecords", "shuffle_read_bytes": "shuffleReadBytes",
    "shuffle_remote_bytes_read": "shuffleRemoteBytesRead",
    "shuffle_read_records": "shuffleReadRecords", "shuffle_fetch_wait_ms": "shuffleFetchWaitTime",
    "shuffle_write_bytes": "shuffleWriteBytes", "shuffle_write_records": "shuffleWriteRecords",
    "memory_bytes_spilled": "memoryBytesSpilled", "disk_bytes_spilled": "diskBytesSpilled",
}
# Our double columns in ms -> the History Server's nanosecond sums.
NANOSECOND_FIELDS = {"executor_cpu_time_ms": "executorCpuTime",
                     "shuffle_write_time_ms": "shuffleWriteTime"}
QUANTILE_COLUMNS = ["task_duration_ms_min", "task_duration_ms_p25", "task_duration_ms_p50",
                    "task_duration_ms_p75", "task_duration_ms_p95", "task_duration_ms_max"]


def epoch_ms(text):
    """'2026-12-07T02:25:35.168GMT' or '...Z' -> milliseconds since the epoch."""
    from datetime import datetime, timezone
    stamp = datetime.strptime(text.replace("GMT", "").rstrip("Z"), "%Y-%m-%dT%H:%M:%S.%f")
    return round(stamp.replace(tzinfo=timezone.utc).timestamp() * 1000)


def stage_differences(ours, theirs, successful_durations=None):
    """Every field where our stage row and the History Server's stage differ;
    `successful_durations`, when given, are its successful tasks' durations."""
    diffs = []

    def check(column, want):
        if ours[column] != want:
            diffs.append(f"{column}: ours {ours[column]!r}, History Server {want!r}")

    for column, field in STAGE_FIELDS.items():
        check(column, theirs[field])
    for column, field in NANOSECOND_FIELDS.items():
        if not math.isclose(ours[column], theirs[field] / 1e6, rel_tol=1e-12, abs_tol=1e-9):
            diffs.append(f"{column}: ours {ours[column]!r}, History Server {theirs[field]} ns")
    check("total_shuffle_spill_mb", theirs["diskBytesSpilled"] / 1048576)
    for column, field in (("submission_time", "submissionTime"),
                          ("completion_time", "completionTime")):
        check(column, theirs[field].replace("GMT", "Z"))
    check("duration_ms", epoch_ms(theirs["completionTime"]) - epoch_ms(theirs["submissionTime"]))
    summary = theirs["taskMetricsDistributions"]
    assert summary["quantiles"] == QUANTILES
    durations = summary["duration"]
    if successful_durations is not None:
        # With failed attempts the History Server's duration quantiles take
        # their ranks from the successful tasks' count but their values from
        # every attempt (its duration index holds failed ones too); ours are
        # over successful tasks, as its /taskList?status=success gives them.
        ranked = sorted(successful_durations)
        durations = [ranked[min(int(q * len(ranked)), len(ranked) - 1)] for q in QUANTILES]
    for column, value in zip(QUANTILE_COLUMNS, durations):
        check(column, int(value))
    median, longest = durations[2], durations[-1]
    check("max_task_skew_ratio", longest / median if median else None)
    # The History Server sums Peak Execution Memory over tasks; our column is
    # the largest task's, which its task summary gives as the 1.0 quantile
    # (over successful tasks: equal when none failed).
    if theirs["numFailedTasks"] == 0 and theirs["numKilledTasks"] == 0:
        check("peak_execution_memory_max_bytes", int(summary["peakExecutionMemory"][-1]))
    return diffs


def hs_stages(history_server, app_id):
    quantiles = ",".join(str(q) for q in QUANTILES)
    return history_server.get(
        f"applications/{app_id}/stages?withSummaries=true&quantiles={quantiles}")


def successful_durations(history_server, app, stage):
    """The durations of a stage attempt's successful tasks when some attempt
    failed (None when none did)."""
    if stage["numFailedTasks"] == 0:
        return None
    tasks = history_server.get(
        f"applications/{app['app_id']}/stages/{stage['stageId']}/{stage['attemptId']}"
        f"/taskList?length=100000&status=success")
    return [t["duration"] for t in tasks if t["status"] == "SUCCESS"]


def test_every_stage_attempt_matches(case, analyses, history_server):
    app = analyses[case]
    theirs = hs_stages(history_server, app["app_id"])
    ours = {(s["stage_id"], s["stage_attempt_id"]): s for s in app["stages"]}
    # A stage a job listed but never ran is SKIPPED there and has no row here.
    ran = {(s["stageId"], s["attemptId"]): s for s in theirs if s["status"] != "SKIPPED"}
    assert sorted(ours) == sorted(ran)
    assert ran, "the scenario ran no stage"
    if case[2]:  # rolling: every part was read, in order
        parts = app["source"]["parts"]
        assert app["source"]["layout"] == "rolling" and len(parts) >= 2, parts
    problems = {key: stage_differences(ours[key], ran[key],
                                       successful_durations(history_server, app, ran[key]))
                for key in ran}
    problems = {f"stage {k[0]}.{k[1]}": v for k, v in problems.items() if v}
    assert not problems, problems


def test_every_job_matches(case, analyses, history_server):
    app = analyses[case]
    theirs = {j["jobId"]: j for j in history_server.get(f"applications/{app['app_id']}/jobs")}
    ours = {j["job_id"]: j for j in app["jobs"]}
    assert sorted(ours) == sorted(theirs)
    problems = {}
    for job_id, job in ours.items():
        want = theirs[job_id]
        # Stages and tasks that ran in this job: a stage whose shuffle output
        # an earlier job made is SKIPPED here and counts in that job only.
        expected = {
            "status": want["status"],
            "duration_ms": epoch_ms(want["completionTime"]) - epoch_ms(want["submissionTime"]),
            "num_stages": want["numCompletedStages"] + want["numFailedStages"],
            "num_tasks": want["numCompletedTasks"] + want["numFailedTasks"]
            + want["numKilledTasks"],
            "num_failed_tasks": want["numFailedTasks"],
        }
        diffs = [f"{k}: ours {job[k]!r}, History Server {v!r}"
                 for k, v in expected.items() if job[k] != v]
        if diffs:
            problems[f"job {job_id}"] = diffs
    assert not problems, problems


def test_application_matches(case, analyses, history_server):
    app = analyses[case]
    [attempt] = history_server.get(f"applications/{app['app_id']}")["attempts"]
    summary = app["summary"]
    assert (app["start_time"], app["end_time"], summary["duration_ms"], app["user"],
            app["spark_version"], app["status"]) == (
        attempt["startTime"].replace("GMT", "Z"), attempt["endTime"].replace("GMT", "Z"),
        attempt["duration"], attempt["sparkUser"], attempt["appSparkVersion"],
        "complete" if attempt["completed"] else "in progress")
    jobs = history_server.get(f"applications/{app['app_id']}/jobs")
    assert summary["num_jobs"] == len(jobs)
    assert summary["num_failed_jobs"] == sum(j["status"] == "FAILED" for j in jobs)
    # The application's work totals are sums over the History Server's stages.
    stages = hs_stages(history_server, app["app_id"])
    for column, field in (("task_time_ms", "executorRunTime"), ("gc_time_ms", "jvmGcTime"),
                          ("input_bytes", "inputBytes"), ("output_bytes", "outputBytes"),
                          ("shuffle_read_bytes", "shuffleReadBytes"),
                          ("shuffle_write_bytes", "shuffleWriteBytes"),
                          ("memory_bytes_spilled", "memoryBytesSpilled"),
                          ("disk_bytes_spilled", "diskBytesSpilled")):
        assert summary[column] == sum(s[field] for s in stages), column
    assert math.isclose(summary["cpu_time_ms"], sum(s["executorCpuTime"] for s in stages) / 1e6,
                        rel_tol=1e-12)


def lost_with_removed_executors(history_server, app_id, executors):
    """Task attempts that failed as ExecutorLostFailure on an executor the
    History Server lists as removed."""
    removed = {e["id"] for e in executors if e.get("removeTime")}
    if not removed:
        return []
    lost = []
    for stage in history_server.get(f"applications/{app_id}/stages"):
        if stage["status"] == "SKIPPED":
            continue
        for task in history_server.get(f"applications/{app_id}/stages/{stage['stageId']}/"
                                       f"{stage['attemptId']}/taskList?length=100000"):
            if (task["executorId"] in removed and task["status"] == "FAILED"
                    and task.get("errorMessage", "").startswith("ExecutorLostFailure")):
                lost.append(task)
    return lost


def test_executor_totals_match(case, analyses, history_server):
    summary = analyses[case]["summary"]
    app_id = analyses[case]["app_id"]
    executors = history_server.get(f"applications/{app_id}/allexecutors")
    assert executors
    assert summary["num_tasks"] == sum(e["totalTasks"] for e in executors)
    # A task lost with its executor whose end event comes after the
    # executor's removal counts in its stage but in no executor's
    # failedTasks (the History Server updates live executors only).
    counted = sum(e["failedTasks"] for e in executors)
    lost = lost_with_removed_executors(history_server, app_id, executors)
    assert counted <= summary["num_failed_tasks"] <= counted + len(lost)
    for column, field in (("input_bytes", "totalInputBytes"),
                          ("shuffle_read_bytes", "totalShuffleRead"),
                          ("shuffle_write_bytes", "totalShuffleWrite")):
        assert summary[column] == sum(e[field] for e in executors), column
