#!/usr/bin/env python3
"""Writes docs/RULES.md from rules/*.toml and the native rules' table below.

Run after changing a rule: python3 tools/gen_rules_doc.py
"""
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The rules written in C++ (src/prometheus/rules/native_rules_*.cc).
NATIVE = [
    ("missed_broadcast", "A sort-merge or shuffled-hash join whose buildable side was under the run's broadcast threshold (`spark.sql.autoBroadcastJoinThreshold`, 10 MiB by default; 30 MiB with AQE on Databricks) or under Dataflint's tiers (100 MiB vs > 10 GiB, 1000 MiB vs > 300 GiB, 5 GiB vs > 1 TiB).",
     "Shuffling the large side to join a small table costs network, disk and a stage; a broadcast joins in place.",
     "low; medium when the large side is >= 1 GiB; high at >= 10 GiB", "Spark defaults [SPK-TUNE]; Dataflint tiers [DF] (HEURISTICS #8)"),
    ("oversized_broadcast", "A broadcast exchange over 1 GiB.", "It loads the driver and every executor, and fails above 8 GiB.",
     "high above 1 GiB, critical above 4 GiB", "Dataflint 1 GiB; Spark's 8 GiB limit [SPK-BCAST] (#9)"),
    ("small_files_read", "A scan of more than 100 files averaging under 3 MiB.", "Opening files, not reading data, dominates.",
     "medium; high above 10,000 files", "Dataflint (#10)"),
    ("small_files_written", "A write of more than 100 files averaging under 3 MiB.", "Readers of the output pay the small-file cost forever.",
     "medium; high above 10,000 files; fix targets 128 MiB per file", "Dataflint (#11)"),
    ("python_udf", "A Python UDF operator (BatchEvalPython, ArrowEvalPython, MapInPandas, FlatMapGroupsInPandas, ...) in a query.", "Rows cross to Python workers and back; Photon cannot run it.",
     "medium when its stages take >= 10% of task time and >= 60 s; high at >= 50% and >= 10 min; else low", "Databricks guidance (#18); no anchor has a threshold"),
    ("cartesian_join", "A cartesian product or nested-loop join that compared more than 1e8 row pairs.", "Its cost grows with the product of its sides.",
     "medium; high above 1e10 rows", "Dataflint 1e10 (#19)"),
    ("idle_cores", "More than half of the executor core-time was idle.", "Paid-for cores did nothing.",
     "medium above 50% idle (with >= 1 core-hour available); high above 80% with >= 10 core-hours", "Dataflint 50% (#13)"),
    ("executor_memory", "Executor heap (JVMHeapMemory at task ends) above 95% of spark.executor.memory with corroborating memory pressure, or under 1/1.5 of it (memory >= 2 GiB) without pressure.", "Too little risks OOM; too much wastes memory that could run more executors. A JVM fills its heap before it collects, so a full heap alone is no evidence: raising memory needs pressure, i.e. GC >= 10% of task time, spill to disk, tasks dead for memory or executors lost for memory (Dr. Elephant gates its memory heuristics alike). Where the work runs off the heap (Photon, or spark.memory.offHeap.enabled) the heap's peak says nothing of what executors need, so no saving is advised from it.",
     "high (raise) only with pressure; the saving (lower) is low and only without pressure", "Dataflint 95%/70%; Dr. Elephant tuning branch 1.25-3x (peak + 300 MB), >= 2 GB (#14)"),
    ("out_of_memory", "Task attempts that died for memory, by cause from the task end reasons: OutOfMemoryError in the JVM or an executor that exited with code 52 (heap), a container killed by YARN or Kubernetes (exit 137/143, `exceeding memory limits`, `OOMKilled`: memory overhead), a RAPIDS GPU OOM (`GpuSplitAndRetryOOM`...).", "Failed attempts are retried in vain and can fail the job. The fix follows the cause: spark.executor.memory x1.5 for heap, spark.executor.memoryOverhead x2 for a killed container, for GPU OOM half the tasks sharing a GPU (spark.rapids.sql.concurrentGpuTasks) when RAPIDS already split and retried (`GpuSplitAndRetryOOM`), else half the batch size (spark.rapids.sql.batchSizeBytes); the message also names spark.rapids.memory.gpu.allocFraction.",
     "high; critical when the stage failed", "Dr. Elephant tuning branch (#15)"),
    ("failures", "Failed task attempts of a stage (at least 5% of its attempts, or a failed stage) for causes other than memory, grouped by cause from the task end reasons: an exception with the line of the user's code that raised it (the last frame of a Python traceback outside PySpark and libraries, or the first JVM frame outside Spark, the JDK, Scala and libraries), executors lost (with their exit code's meaning), shuffle fetch failures (shuffle and host), tasks resubmitted after their shuffle output was lost.", "Failed attempts waste their run time, and a failed stage fails its job. An exception that fails every retry is a code or data error that no setting fixes (the fix points at file:line); one whose retries succeeded is intermittent (a flaky source); lost executors call for the cluster's logs and for keeping shuffle files (external shuffle service, decommissioning).",
     "ratio ladder 5/10/15/20%: low, medium; high and critical need >= 5 min of task time; a failed stage is high, critical with >= spark.task.maxFailures (4) failed attempts; at most medium when the retries succeeded", "Dr. Elephant DE-T ladder (#15)"),
    ("driver_gaps", "Time with no Spark job running, at least 5 minutes and 25% of the run.", "The driver works alone while executors wait.",
     "medium; high at >= 50% and >= 30 min", "Databricks 'gaps between jobs' guide, 1 min; Sparklens driver time (#17)"),
    ("aqe_disabled", "Adaptive query execution off on Spark 3 (explicitly, or by default before 3.2) with at least 64 MiB shuffled.", "No partition coalescing, skew-join splitting or runtime broadcast.",
     "low; medium when shuffle stages took >= 10 min of task time", "Spark defaults since 3.2 [SPK-TUNE] (#22)"),
    ("log_data_quality", "Completed stages missing task-end events (>= 1%), a compacted log, or corrupt lines.", "Every other figure is then partial.",
     "low; medium at >= 1% missing; high at >= 10% missing or compacted", "Sparklens #56; Spark monitoring docs (#26)"),
    ("repeated_scan", "The same table or path scanned by at least 2 queries of one application, at least 1 GiB read again after the first read, and never written by that application.", "Each query reads and decodes the data again; a cached DataFrame is read once. The fix (`cache`) adds `.cache()` where the job reads it.",
     "low; medium when >= 10 GiB is read again", "Sparklens and Dataflint flag re-reads; no anchor has a threshold, so it stays low"),
]


# Names --threshold RULE.NAME=VALUE accepts for each native rule, with their
# defaults (src/prometheus/rules/native_rules.cc holds the same list).
NATIVE_THRESHOLDS = {
    "idle_cores": "idle_ratio=0.5, min_core_seconds=3600, high_idle_ratio=0.8, high_core_seconds=36000",
    "driver_gaps": "gap_ratio=0.25, min_gap_seconds=300, high_gap_ratio=0.5, high_gap_seconds=1800",
    "log_data_quality": "missing_ratio=0.01, high_missing_ratio=0.1",
    "out_of_memory": "(none)",
    "failures": "failures_low=0.05, failures_medium=0.1, failures_high=0.15, failures_critical=0.2, failures_min_run=300000 (ms of task time), task_max_failures=4",
    "aqe_disabled": "min_shuffle_bytes=67108864, medium_task_seconds=600",
    "executor_memory": "high_heap_ratio=0.95, headroom=1.5, min_memory_bytes=2147483648, pressure_gc_ratio=0.1",
    "missed_broadcast": "medium_large_side_bytes=1073741824, high_large_side_bytes=10737418240 (the broadcast threshold itself is the run's `spark.sql.autoBroadcastJoinThreshold`)",
    "oversized_broadcast": "broadcast_bytes=1073741824, critical_broadcast_bytes=4294967296",
    "small_files_read": "min_files=100, average_file_bytes=3145728, high_files=10000",
    "small_files_written": "min_files=100, average_file_bytes=3145728, high_files=10000",
    "python_udf": "medium_share=0.1, medium_seconds=60, high_share=0.5, high_seconds=600",
    "cartesian_join": "min_rows=1e8, high_rows=1e10",
    "repeated_scan": "min_queries=2, min_reread_bytes=1073741824, medium_reread_bytes=10737418240",
}


# The evidence each native rule records (its keys in `evidence`); the
# engine adds `stake_wall_share` and `stake_task_share` (see Severity), and
# rules that cite the what-if curve add `whatif`. RuleEngine.DocsListEveryEvidenceKey
# checks the shared logs' findings against this list.
NATIVE_EVIDENCE = {
    "idle_cores": "idle_ratio, core_seconds_used, core_seconds_available, threshold_idle_ratio, whatif",
    "driver_gaps": "gap_ms, application_duration_ms, gap_ratio, threshold_gap_ratio, threshold_gap_ms",
    "log_data_quality": "missing_task_ratio, expected_tasks, task_end_events, compacted, corrupt_lines, threshold_missing_ratio",
    "out_of_memory": "out_of_memory_tasks, failed_tasks, stage_status, cause (the largest memory cause), causes",
    "failures": "failure_ratio, num_failed_tasks, num_completed_tasks, status, stage_attempt_id, retries_succeeded, causes (cause, reason, error, count, location, exit_code, executors, hosts, shuffle_ids, map_ids), executors_lost, threshold_failures_low",
    "aqe_disabled": "aqe_enabled, spark_version, shuffle_partitions, shuffle_stages, shuffle_write_bytes",
    "executor_memory": "peak_jvm_heap_bytes, executor_memory_bytes, heap_used_ratio, memory_pressure, gc_ratio, disk_bytes_spilled, out_of_memory_tasks, executors_lost_for_memory, threshold_high_ratio, threshold_headroom, whatif",
    "missed_broadcast": "small_side_bytes, large_side_bytes, threshold_bytes, join_type, size_metric",
    "oversized_broadcast": "broadcast_bytes, threshold_bytes, collect_ms, build_ms, broadcast_ms",
    "small_files_read": "files_read, bytes_read, average_file_bytes, threshold_files, threshold_average_bytes",
    "small_files_written": "files_written, bytes_written, average_file_bytes, threshold_files, threshold_average_bytes",
    "python_udf": "udf_stage_task_seconds, application_task_seconds, share_of_task_time, threshold_share",
    "cartesian_join": "cross_join_scanned_rows, threshold_rows",
    "repeated_scan": "queries, bytes_read, reread_bytes, threshold_queries, threshold_reread_bytes",
}


def header_comment(text):
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("# ").rstrip())
    return " ".join(lines[1:]) if len(lines) > 1 else ""


def main():
    out = ["# Rules", "",
           "What the Oracle detects. Declarative rules live in `rules/*.toml` (compiled into the binary;",
           "copy one into your own rules folder, `./rules` or `--rules DIR`, to change its thresholds, or",
           "set `enabled = false` to switch it off; `--disable ID` does the same from the command line).",
           "The file format is in [RULE_FILES.md](RULE_FILES.md); the recommendation records in",
           "[RECOMMENDATIONS.md](RECOMMENDATIONS.md). Thresholds and their sources come from",
           "`../shared/docs/HEURISTICS.md` (numbers like #4 are its rows).", "",
           "Generated by `tools/gen_rules_doc.py`.", "", "## Declarative rules (rules/*.toml)", ""]
    for path in sorted((ROOT / "rules").glob("*.toml")):
        text = path.read_text()
        rule = tomllib.loads(text)
        out.append(f"### `{rule['id']}` — {rule.get('title', '')}")
        out.append("")
        out.append(f"Scope: {rule.get('scope', 'stage')}. File: `rules/{path.name}`.")
        out.append("")
        out.append(" ".join(rule.get("description", "").split()))
        out.append("")
        source = header_comment(text)
        if source:
            out.append(f"Thresholds and source: {source}")
            out.append("")
        thresholds = rule.get("thresholds", {})
        if thresholds:
            out.append("| threshold | value |")
            out.append("|---|---|")
            for name, value in thresholds.items():
                out.append(f"| `{name}` | {value} |")
            out.append("")
        evidence = rule.get("evidence", {})
        if evidence:
            out.append("Evidence: " + ", ".join(f"`{name}`" for name in evidence)
                       + " (and the thresholds it used).")
            out.append("")
        severity = rule.get("severity", {})
        if severity:
            out.append("Severity: " + "; ".join(f"{k} when `{v}`" for k, v in severity.items())
                       + f"; otherwise {rule.get('severity_default', 'low')}.")
            out.append("")
    out += ["## Severity", "",
            "Each rule first rates its symptom on its own ladder (the tables below: a skew ratio, a",
            "GC share, a failed stage). The engine then weighs what is at stake",
            "(`src/prometheus/rules/stake.cc`): the finding's estimated saving as a share of the",
            "application's wall time and of its task time (idle core time against the core time",
            "paid for), whichever is larger. Both shares are in the evidence as `stake_wall_share`",
            "and `stake_task_share`.", "",
            "| stake | severity |",
            "|---|---|",
            "| >= 25% | at least high |",
            "| >= 10% | at least medium |",
            "| 5% to 10% | the rule's own |",
            "| 1% to 5% | at most medium |",
            "| < 1% | low |", "",
            "So a stage holding 45% of the run on 2 tasks while 6 cores wait (saving 30% of the",
            "wall time) is high whatever its tasks' length, and critical GC in a stage that is 0.5%",
            "of the run is low. Risks of failure keep their rule's severity, since their cost is a",
            "failed run rather than time: `failures`, `out_of_memory`, `app_task_failures`,",
            "`oversized_broadcast`, `log_data_quality`; so do findings with no time estimate",
            "(`executor_memory`'s saving is memory). Cost follows time here: a Databricks run's",
            "cost is its DBUs over its duration, so its share at stake is the time share.", "",
            "## Failure causes", "",
            "`failures` and `out_of_memory` read each failed attempt's `Task End Reason`",
            "(`src/prometheus/model/task_failure.cc`) and group the attempts of a stage by cause:",
            "", "| cause | read from | the fix |", "|---|---|---|",
            "| `task_exception` | ExceptionFailure: the exception (the last line of a Python traceback, in the Description or, for a wrapping exception, the Full Stack Trace; else class and message) and the user's line (the last traceback frame outside PySpark, site-packages and the standard library, or the first JVM frame outside Spark, the JDK, Scala and libraries) | the code at file:line; no setting. Retries that succeeded mean an intermittent error (a flaky source), at most medium |",
            "| `heap_out_of_memory` | OutOfMemoryError (also as a `Caused by:` in the Full Stack Trace), or an executor that exited with code 52 | spark.executor.memory x1.5, more partitions or fewer cores per executor |",
            "| `container_killed` | exit code 137, `exceeding memory limits`, `beyond physical memory`, `OOMKilled` | spark.executor.memoryOverhead x2 |",
            "| `gpu_out_of_memory` | `GpuSplitAndRetryOOM`, `GpuRetryOOM`, `GPU OutOfMemory` | after a split and retry, half spark.rapids.sql.concurrentGpuTasks (2 by default); else half spark.rapids.sql.batchSizeBytes; or more of the GPU (spark.rapids.memory.gpu.allocFraction) |",
            "| `executor_lost` | ExecutorLostFailure otherwise (with the exit code's meaning: 56 heartbeat, 143 SIGTERM...) | the cluster manager's logs; keep shuffle files (external shuffle service, decommissioning) |",
            "| `fetch_failed` | FetchFailed: shuffle id, map id and the host that held it | as for a lost executor |",
            "| `resubmitted` | Resubmitted: finished map tasks rerun because their output was lost | as for a lost executor |", "",
            "The evidence's `causes` lists every group: cause, Spark's reason, the error, the count,",
            "the location (file, line, function), executors, hosts, shuffle and map ids and exit code.",
            "A stage attempt keeps at most 16 groups (later kinds are only counted, as `other`);",
            "grouping compares each failure with the groups as views into the event, allocating",
            "only for a new group.", "",
            "## Native rules (C++)", "",
            "These need plans, timelines or log quality, which one KPI row does not hold.", "",
            "Every threshold of every rule, native or declarative, can also be changed for one run",
            "with `--threshold RULE.NAME=VALUE` (for example `--threshold idle_cores.idle_ratio=0.6`",
            "or `--threshold spill.spill_low=0.05`). A rule file named after a native rule sets",
            "its thresholds for good, or switches it off (docs/RULE_FILES.md, \"Native rules\"):",
            "`id = \"idle_cores\"` then `[thresholds]` `idle_ratio = 0.6`, or `enabled = false`.", "",
            "| rule | detects | why it matters | severity | threshold source | thresholds (`--threshold`) | evidence |",
            "|---|---|---|---|---|---|---|"]
    for rule_id, detects, why, severity, source in NATIVE:
        out.append(f"| `{rule_id}` | {detects} | {why} | {severity} | {source} | {NATIVE_THRESHOLDS[rule_id]} | {NATIVE_EVIDENCE[rule_id]} |")
    out.append("")
    (ROOT / "docs" / "RULES.md").write_text("\n".join(out))


if __name__ == "__main__":
    main()
