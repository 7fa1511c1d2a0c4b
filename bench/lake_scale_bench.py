#!/usr/bin/env python3
"""The lake at scale (issue 16): observe N small applications in B batches,
and time what a nightly user meets as the log grows.

Each application is testdata/eventlogs/local-1422981780767 (68 KB, a real
Spark log) under its own app id. After batch 10 and after the last batch it
times, median of --repeat runs each:
  - `observe` of the last batch again: finds nothing new;
  - `show prometheus_metrics --limit 5`.
Then `optimize`, with each table's file count before and after, and the same
two timings on the optimized lake. The ratios last/10 are the issue's target
(at most 1.5x).

    python3 bench/lake_scale_bench.py build/prometheus --batches 300 --apps-per-batch 10

Prints a table and writes --json (default bench/results/lake_scale.json)."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(REPO, "testdata", "eventlogs", "local-1422981780767")
SAMPLE_ID = "local-1422981780767"
TABLES = ("prometheus_metrics", "prometheus_applications", "prometheus_recommendations")


def run(binary, *args):
    done = subprocess.run([binary, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"prometheus {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def timed(binary, repeat, *args):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(binary, *args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_batch(text, folder, first, count):
    os.makedirs(folder)
    for i in range(first, first + count):
        app_id = f"local-{1700000000000 + i}"  # as long as the sample's id
        with open(os.path.join(folder, app_id), "w") as out:
            out.write(text.replace(SAMPLE_ID, app_id))


def table_files(store):
    """Live files (from the newest version's parquet count on disk is not
    the same: removed files stay until vacuum) per table, via deltalake when
    installed, else the data files on disk."""
    counts = {}
    for table in TABLES:
        path = os.path.join(store, table)
        if not os.path.isdir(path):
            continue
        try:
            from deltalake import DeltaTable
            counts[table] = len(DeltaTable(path).file_uris())
        except ImportError:
            counts[table] = sum(f.endswith(".parquet") for f in os.listdir(path))
    return counts


def log_files(store, table="prometheus_metrics"):
    return len(os.listdir(os.path.join(store, table, "_delta_log")))


def commands(store, batch_dir):
    return {
        "observe_nothing_new_s": ("observe", "--source", batch_dir, "--store", store,
                                  "--no-progress"),
        "show_limit_5_s": ("show", "prometheus_metrics", "--store", store, "--limit", "5"),
    }


def measure(binary, store, batch_dir, repeat):
    return {key: timed(binary, repeat, *args) for key, args in commands(store, batch_dir).items()}


def measure_interleaved(binary, lakes, repeat):
    """Median seconds per lake and command, the lakes' runs alternating so
    that a change of machine load falls on all of them alike."""
    times = {name: {key: [] for key in commands("", "")} for name in lakes}
    for _ in range(repeat):
        for name, (store, batch_dir) in lakes.items():
            for key, args in commands(store, batch_dir).items():
                times[name][key].append(timed(binary, 1, *args))
    return {name: {key: statistics.median(values) for key, values in by_key.items()}
            for name, by_key in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--batches", type=int, default=300)
    parser.add_argument("--apps-per-batch", type=int, default=10)
    parser.add_argument("--early", type=int, default=10, help="the early batch to compare with")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", help="folder for logs and lake (default: a temporary one)")
    parser.add_argument("--json", default=os.path.join(REPO, "bench", "results", "lake_scale.json"))
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="lake-scale-")
    store = os.path.join(work, "lake")
    text = open(SAMPLE).read()
    result = {"batches": args.batches, "apps_per_batch": args.apps_per_batch}
    observe_times = []
    try:
        previous = None
        for batch in range(1, args.batches + 1):
            batch_dir = os.path.join(work, f"batch-{batch:04}")
            write_batch(text, batch_dir, (batch - 1) * args.apps_per_batch, args.apps_per_batch)
            start = time.perf_counter()
            run(args.binary, "observe", "--source", batch_dir, "--store", store, "--no-progress")
            observe_times.append(time.perf_counter() - start)
            if previous:  # only the last batch's logs are kept
                shutil.rmtree(previous)
            previous = batch_dir
            if batch == args.early:
                result["early"] = measure(args.binary, store, batch_dir, args.repeat)
                early_store = os.path.join(work, "lake-early")
                shutil.copytree(store, early_store)
                early_batch = os.path.join(work, "batch-early")
                shutil.copytree(batch_dir, early_batch)
            if batch % 50 == 0:
                print(f"batch {batch}: observe {observe_times[-1]:.3f}s", file=sys.stderr)
        result["late"] = measure(args.binary, store, previous, args.repeat)
        result["observe_new_batch_s"] = {"first": observe_times[0],
                                         "early": observe_times[args.early - 1],
                                         "last": observe_times[-1]}
        result["metrics_log_files"] = log_files(store)
        result["files_before_optimize"] = table_files(store)
        late_store = os.path.join(work, "lake-late")
        shutil.copytree(store, late_store)
        start = time.perf_counter()
        run(args.binary, "optimize", "--store", store)
        result["optimize_s"] = time.perf_counter() - start
        result["files_after_optimize"] = table_files(store)
        result["after_optimize"] = measure(args.binary, store, previous, args.repeat)
        # Again, early, late and optimized lakes in turn: the ratios the
        # target is about, with the machine's load shared alike.
        optimized = os.path.join(work, "lake-optimized")
        shutil.copytree(store, optimized)
        result["interleaved"] = measure_interleaved(args.binary, {
            "early": (early_store, early_batch), "late": (late_store, previous),
            "optimized": (optimized, previous)},
            args.repeat)
        data_bytes = sum(os.path.getsize(os.path.join(store, "prometheus_metrics", f))
                         for f in os.listdir(os.path.join(store, "prometheus_metrics"))
                         if f.endswith(".parquet"))
        result["metrics_parquet_bytes_on_disk"] = data_bytes
        for key in ("observe_nothing_new_s", "show_limit_5_s"):
            result[f"ratio_{key}"] = result["late"][key] / result["early"][key]
            result[f"ratio_{key}_optimized"] = result["after_optimize"][key] / result["early"][key]
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    inter = result["interleaved"]
    for key in ("observe_nothing_new_s", "show_limit_5_s"):
        result[f"ratio_{key}_interleaved"] = inter["late"][key] / inter["early"][key]
        result[f"ratio_{key}_optimized_interleaved"] = (inter["optimized"][key] /
                                                        inter["early"][key])
    result["load_average_at_end"] = os.getloadavg()[0]
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as out:
        json.dump(result, out, indent=2)
    e, l, o = result["early"], result["late"], result["after_optimize"]
    print(f"{args.batches} batches of {args.apps_per_batch} applications")
    print(f"{'':28}{'batch ' + str(args.early):>12}{'batch ' + str(args.batches):>12}"
          f"{'optimized':>12}{'ratio':>8}{'ratio opt':>10}")
    for key, label in (("observe_nothing_new_s", "observe, nothing new (s)"),
                       ("show_limit_5_s", "show --limit 5 (s)")):
        print(f"{label:28}{e[key]:12.3f}{l[key]:12.3f}{o[key]:12.3f}"
              f"{result['ratio_' + key]:8.2f}{result['ratio_' + key + '_optimized']:10.2f}")
    print("interleaved (the lakes in turn), early / late / optimized:")
    for key in ("observe_nothing_new_s", "show_limit_5_s"):
        print(f"  {key}: {inter['early'][key]:.3f} / {inter['late'][key]:.3f} / "
              f"{inter['optimized'][key]:.3f} s, ratios "
              f"{result[f'ratio_{key}_interleaved']:.2f} and "
              f"{result[f'ratio_{key}_optimized_interleaved']:.2f}")
    print(f"files before optimize: {result['files_before_optimize']}")
    print(f"files after optimize:  {result['files_after_optimize']} "
          f"(optimize took {result['optimize_s']:.1f}s)")
    print(f"prometheus_metrics _delta_log entries: {result['metrics_log_files']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
