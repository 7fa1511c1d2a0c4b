#!/usr/bin/env python3
"""The distributed observe against the binary (issue 15): N small logs (a
real Spark log, testdata/eventlogs/local-1422981780767, 68 KB, under N app
ids) observed by `prometheus observe` and by `prometheus.spark.observe` on
local[2], into fresh lakes, median of --repeat runs each. The Spark side is
split where its time goes: listing (Hadoop client) and grouping on the
driver, Spark's task start-up (an empty job of as many tasks), parse (the
tasks: native analysis and rows), write (MERGE into the three tables).

    .venv/bin/python bench/spark_observe_bench.py --prometheus build/prometheus \\
        --wheel build-wheel/wheelhouse/*.whl --logs 2000

With --large-mb M it also times one generated log of M MB
(../shared/bench/gen_eventlog.py) both ways: a single log is one task on
one core, so the two should take about as long.

Prints a table and writes --json (default bench/results/spark_observe.json)."""
import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "spark"))
SAMPLE = os.path.join(REPO, "testdata", "eventlogs", "local-1422981780767")
SAMPLE_ID = "local-1422981780767"


def write_logs(folder, count):
    with open(SAMPLE) as f:
        text = f.read()
    os.makedirs(folder)
    for i in range(count):
        app_id = f"local-{1700000000000 + i}"
        with open(os.path.join(folder, app_id), "w") as out:
            out.write(text.replace(SAMPLE_ID, app_id))
    return count * len(text)


def binary_observe(binary, logs, work):
    store = os.path.join(work, "binary-lake")
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    for command in (["observe", "--source", logs], ["recommend"]):
        done = subprocess.run([binary, *command, "--store", store, "--no-progress"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"prometheus {command[0]} failed:\n{done.stderr}")
    return time.perf_counter() - start


def spark_observe(spark, logs, work, tasks, logs_per_task=1):
    from prometheus import spark as distributed
    store = os.path.join(work, "spark-lake")
    shutil.rmtree(store, ignore_errors=True)
    start = time.perf_counter()
    context = spark.sparkContext
    context.parallelize(range(tasks), tasks).count()
    startup = time.perf_counter() - start
    start = time.perf_counter()
    result = distributed.observe(spark, logs, store, logs_per_task=logs_per_task)
    total = time.perf_counter() - start
    assert result.logs_failed == 0 and result.rows["prometheus_applications"] == tasks, result
    return total, startup, result.timings


def time_large_log(args, spark, work):
    from prometheus import spark as distributed
    folder = os.path.join(work, "large")
    os.makedirs(folder)
    path = os.path.join(folder, "app-large.json")
    generator = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_eventlog.py")
    subprocess.run([sys.executable, generator, "--target-bytes", str(args.large_mb * 1_000_000),
                    "--out", path], check=True, capture_output=True)
    binary_times, spark_times = [], []
    for _ in range(args.repeat):
        store = os.path.join(work, "large-binary-lake")
        shutil.rmtree(store, ignore_errors=True)
        start = time.perf_counter()
        subprocess.run([args.prometheus, "observe", "--source", folder, "--store", store,
                        "--no-progress"], check=True, capture_output=True)
        binary_times.append(time.perf_counter() - start)
        store = os.path.join(work, "large-spark-lake")
        shutil.rmtree(store, ignore_errors=True)
        start = time.perf_counter()
        distributed.observe(spark, folder, store)
        spark_times.append(time.perf_counter() - start)
    binary_s, spark_s = statistics.median(binary_times), statistics.median(spark_times)
    return {"bytes": os.path.getsize(path), "binary_s": round(binary_s, 3),
            "spark_s": round(spark_s, 3), "ratio_spark_over_binary": round(spark_s / binary_s, 2)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prometheus", default=os.path.join(REPO, "build", "prometheus"))
    parser.add_argument("--wheel", help="the wheel to install for the run (default: build-wheel/wheelhouse/*.whl)")
    parser.add_argument("--logs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--logs-per-task", type=int, default=50,
                        help="also time the Spark side with this many logs packed per task")
    parser.add_argument("--large-mb", type=int, default=0,
                        help="also time one generated log of this size (MB)")
    parser.add_argument("--json", default=os.path.join(REPO, "bench", "results", "spark_observe.json"))
    args = parser.parse_args()
    wheel = args.wheel or sorted(glob.glob(os.path.join(REPO, "build-wheel", "wheelhouse", "*.whl")))[-1]
    work = tempfile.mkdtemp(prefix="spark-observe-bench-")
    try:
        site = os.path.join(work, "site")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                        "--disable-pip-version-check", "--target", site, wheel], check=True)
        sys.path.insert(0, site)
        logs = os.path.join(work, "logs")
        size = write_logs(logs, args.logs)
        import delta_interop as di
        spark = di.spark_session()
        spark.sparkContext.environment["PYTHONPATH"] = site
        warm = os.path.join(work, "warm")
        write_logs(warm, 50)
        spark_observe(spark, warm, work, 50)  # warm: JVM, Python workers, Delta's classes
        binary_times, spark_runs, packed_times = [], [], []
        for _ in range(args.repeat):
            binary_times.append(binary_observe(args.prometheus, logs, work))
            spark_runs.append(spark_observe(spark, logs, work, args.logs))
            packed_times.append(spark_observe(spark, logs, work, args.logs,
                                              args.logs_per_task)[0])
        large = None
        if args.large_mb:
            large = time_large_log(args, spark, work)
        di.stop_spark()
        binary_s = statistics.median(binary_times)
        spark_s = statistics.median(r[0] for r in spark_runs)
        phases = {name: statistics.median(r[2][name] for r in spark_runs)
                  for name in spark_runs[0][2]}
        phases["task_startup_s"] = statistics.median(r[1] for r in spark_runs)
        packed_s = statistics.median(packed_times)
        result = {
            "logs": args.logs, "bytes": size, "repeat": args.repeat,
            "binary_observe_and_recommend_s": round(binary_s, 3),
            "spark_observe_s": round(spark_s, 3),
            "ratio_spark_over_binary": round(spark_s / binary_s, 2),
            "binary_logs_per_s": round(args.logs / binary_s, 1),
            "spark_logs_per_s": round(args.logs / spark_s, 1),
            "spark_phases_s": {k: round(v, 3) for k, v in phases.items()},
            "logs_per_task": args.logs_per_task,
            "spark_packed_s": round(packed_s, 3),
            "ratio_spark_packed_over_binary": round(packed_s / binary_s, 2),
            "large_log": large,
        }
        print(f"{args.logs} logs ({size / 1e6:.0f} MB), median of {args.repeat}, local[2]:")
        print(f"  prometheus observe + recommend  {binary_s:8.2f} s  "
              f"({result['binary_logs_per_s']} logs/s)")
        print(f"  prometheus.spark.observe        {spark_s:8.2f} s  "
              f"({result['spark_logs_per_s']} logs/s), {result['ratio_spark_over_binary']}x")
        for name, value in result["spark_phases_s"].items():
            print(f"    {name:28s}{value:8.2f} s")
        print(f"  ... {args.logs_per_task} logs per task         {packed_s:8.2f} s  "
              f"{result['ratio_spark_packed_over_binary']}x")
        if large:
            print(f"one log of {large['bytes'] / 1e6:.0f} MB: prometheus observe "
                  f"{large['binary_s']:.2f} s, prometheus.spark.observe {large['spark_s']:.2f} s "
                  f"({large['ratio_spark_over_binary']}x)")
        os.makedirs(os.path.dirname(args.json), exist_ok=True)
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
            out.write("\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
