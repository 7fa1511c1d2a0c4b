#!/usr/bin/env python3
"""Per-log overhead (issue 16): N small logs observed in one batch.

Each log is a copy of a real 17 KB Spark log (apache/spark's
spark-events/local-1426533911241: one job, one stage, 8 tasks) under its
own app id, all in one folder. For each --logs count it times, in a fresh
lake each time:
  - `observe` of the whole folder (the issue's figure: logs/s), with the
    process's peak RSS (from wait4);
  - `observe` again, which finds nothing new: listing, stat and the lake's
    read, i.e. the fixed part of every log's cost;
  - `analyze --format csv` of the same folder: listing and parsing without
    the lake, so observe minus analyze is the lake's share.
Target: at least 1,000 logs/s on 2 cores, peak RSS flat from 10k to 100k.

    python3 bench/many_logs_bench.py build/prometheus --logs 10000 100000

The logs and lakes live under --work (default a folder in /tmp), deleted at
the end. Prints a table and writes --json (default
bench/results/many_logs.json)."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE_ID = "local-1426533911241"
SAMPLE_CANDIDATES = (
    os.path.join(REPO, "..", "shared", "eventlogs", "apache__spark", "core", "src", "test",
                 "resources", "spark-events", SAMPLE_ID),
    "/work/shared/eventlogs/apache__spark/core/src/test/resources/spark-events/" + SAMPLE_ID,
)


def sample_text():
    for path in SAMPLE_CANDIDATES:
        if os.path.exists(path):
            return open(path).read()
    sys.exit(f"cannot find the sample log {SAMPLE_ID} (looked in {SAMPLE_CANDIDATES})")


def write_logs(text, folder, count):
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        app_id = f"local-{1500000000000 + i}"  # as long as the sample's id
        with open(os.path.join(folder, app_id), "w") as out:
            out.write(text.replace(SAMPLE_ID, app_id))


def run(binary, *args):
    """Wall seconds and peak RSS (MB) of one run of the binary."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read()
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"prometheus {' '.join(args)} failed ({code}):\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--logs", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--work", help="folder for logs and lakes (default: a new one in /tmp)")
    parser.add_argument("--skip-analyze", action="store_true")
    parser.add_argument("--json", default=os.path.join(REPO, "bench", "results", "many_logs.json"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = args.work or tempfile.mkdtemp(prefix="many-logs-", dir="/tmp")
    text = sample_text()
    results = {"sample": SAMPLE_ID, "sample_bytes": len(text), "cores": os.cpu_count(),
               "load_average_at_start": os.getloadavg()[0], "runs": []}
    try:
        for count in sorted(args.logs):
            logs = os.path.join(work, "logs")
            shutil.rmtree(logs, ignore_errors=True)
            start = time.perf_counter()
            write_logs(text, logs, count)
            print(f"{count} logs written in {time.perf_counter() - start:.1f}s", file=sys.stderr)
            store = os.path.join(work, f"lake-{count}")
            shutil.rmtree(store, ignore_errors=True)
            row = {"logs": count, "load_average": os.getloadavg()[0]}
            row["observe_s"], row["observe_peak_rss_mb"], row["observe_cpu_s"] = run(
                binary, "observe", "--source", logs, "--store", store, "--no-progress")
            row["logs_per_s"] = count / row["observe_s"]
            row["nothing_new_s"], row["nothing_new_peak_rss_mb"], _ = run(
                binary, "observe", "--source", logs, "--store", store, "--no-progress")
            if not args.skip_analyze:
                row["analyze_s"], row["analyze_peak_rss_mb"], row["analyze_cpu_s"] = run(
                    binary, "analyze", "--format", "csv", logs)
            lake_files = 0
            for root, _, files in os.walk(store):
                lake_files += len(files)
            row["lake_files"] = lake_files
            results["runs"].append(row)
            print(json.dumps(row), file=sys.stderr)
            shutil.rmtree(store, ignore_errors=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as out:
        json.dump(results, out, indent=2)
    print(f"{'logs':>8}{'observe s':>11}{'logs/s':>9}{'peak MB':>9}{'cpu s':>8}"
          f"{'no-new s':>10}{'analyze s':>11}{'lake files':>12}")
    for r in results["runs"]:
        print(f"{r['logs']:>8}{r['observe_s']:>11.2f}{r['logs_per_s']:>9.0f}"
              f"{r['observe_peak_rss_mb']:>9.0f}{r['observe_cpu_s']:>8.1f}"
              f"{r['nothing_new_s']:>10.2f}{r.get('analyze_s', float('nan')):>11.2f}"
              f"{r['lake_files']:>12}")


if __name__ == "__main__":
    main()
