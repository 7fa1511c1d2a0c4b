#!/usr/bin/env python3
"""Delta's own readers on a lake that has been checkpointed and optimized
(issue 16): deltalake (delta-rs) and, with --spark, delta-spark.

A store gets 23 observes of one small application each (copies of
testdata/eventlogs/local-1422981780767 under new app ids), so each table's
log has a checkpoint at version 20. The commits the checkpoint covers are
then deleted, as Delta's log clean-up would: a reader that ignored the
checkpoint could not read the table. deltalake (and Spark) must read it, and
the rows must equal `prometheus show`'s. Then `prometheus optimize`: the same
rows, fewer files, and the readers still agree.

Usage: lake_peers.py PROMETHEUS_BINARY [--spark]. Exit 0 when every check
passed; prints 'N passed, N failed'."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(REPO, "testdata", "eventlogs", "local-1422981780767")
SAMPLE_ID = "local-1422981780767"
TABLES = ("prometheus_metrics", "prometheus_applications")
APPS = 23

results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + str(detail)}")


def run(binary, *args):
    done = subprocess.run([binary, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"prometheus {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def copy_app(source_text, folder, i):
    """The sample log under app id local-17000000000NN (same length)."""
    app_id = f"local-{1700000000000 + i}"
    path = os.path.join(folder, app_id)
    with open(path, "w") as out:
        out.write(source_text.replace(SAMPLE_ID, app_id))
    return path


def show_count(binary, store, table):
    out = run(binary, "show", table, "--store", store, "--format", "json", "--limit", "100000")
    return len(json.loads(out))


def deltalake_count(path):
    from deltalake import DeltaTable, QueryBuilder
    table = DeltaTable(path)
    batches = list(QueryBuilder().register("t", table).execute("SELECT count(*) AS n FROM t"))
    rows = sum(batch.column("n").to_pylist()[0] for batch in batches)
    return table.version(), rows, len(table.file_uris())


def spark_count(spark, path):
    return spark.read.format("delta").load(path).count()


def duckdb_checkpoint_counts(checkpoint):
    """(add rows, metaData rows) of a checkpoint file as DuckDB's own Parquet
    reader sees it (its delta extension is downloaded at run time, so the
    nested file itself is what is checked); None without DuckDB's Node API."""
    validators = os.path.join(REPO, "tools", "validators")
    if not os.path.isdir(os.path.join(validators, "node_modules", "@duckdb")):
        return None
    sql = (f"SELECT count(add.path), count(metaData.id), max(len(map_keys(add.tags))) "
           f"FROM read_parquet('{checkpoint}')")
    done = subprocess.run(["node", os.path.join(validators, "duckdb_query.mjs"), sql],
                          capture_output=True, text=True)
    result = json.loads(done.stdout)["results"][0]
    if "error" in result:
        return result["error"]
    return [int(v) for v in result["rows"][0]]


def spark_session():
    """delta_interop's SparkSession (Delta's jars from .cache/spark-jars)."""
    sys.path.insert(0, os.path.join(REPO, "tests", "spark"))
    import delta_interop
    return delta_interop


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--spark", action="store_true", help="also read with delta-spark")
    args = parser.parse_args()
    try:
        import deltalake  # noqa: F401
    except ImportError:
        print("deltalake is not installed (tools/install-deps.sh makes .venv): skipped")
        return 77
    work = tempfile.mkdtemp(prefix="lake-peers-")
    try:
        store = os.path.join(work, "lake")
        logs = os.path.join(work, "logs")
        os.makedirs(logs)
        text = open(SAMPLE).read()
        for i in range(APPS):
            run(args.binary, "observe", "--source", copy_app(text, logs, i), "--store", store,
                "--no-progress")
        spark = None
        if args.spark:
            spark = spark_session().spark_session()
        for table in TABLES:
            path = os.path.join(store, table)
            log = os.path.join(path, "_delta_log")
            check(f"{table}: checkpoint 20 written",
                  os.path.exists(os.path.join(log, "00000000000000000020.checkpoint.parquet")))
            hint = json.load(open(os.path.join(log, "_last_checkpoint")))
            check(f"{table}: _last_checkpoint names version 20", hint.get("version") == 20, hint)
            counts = duckdb_checkpoint_counts(
                os.path.join(log, "00000000000000000020.checkpoint.parquet"))
            if counts is None:
                print(f"--   {table}: DuckDB not installed (npm ci in tools/validators): not read")
            else:
                check(f"{table}: DuckDB reads the checkpoint's Parquet",
                      counts == [hint["numOfAddFiles"], 1, 5], counts)
            for v in range(20):
                os.remove(os.path.join(log, f"{v:020}.json"))
            shown = show_count(args.binary, store, table)
            version, rows, files = deltalake_count(path)
            check(f"{table}: deltalake reads through our checkpoint", (version, rows) ==
                  (APPS - 1, shown), (version, rows, shown))
            if spark:
                check(f"{table}: delta-spark reads through our checkpoint",
                      spark_count(spark, path) == shown)
        optimized = json.loads(run(args.binary, "optimize", "--store", store, "--format", "json"))
        for entry in optimized:
            table = entry["table"]
            path = os.path.join(store, table)
            shown = show_count(args.binary, store, table)
            version, rows, files = deltalake_count(path)
            check(f"{table}: optimize compacted {entry['files_before']} files into "
                  f"{entry['files_after']}",
                  entry["files_before"] == APPS and entry["files_after"] == 1, entry)
            check(f"{table}: deltalake reads the optimized table", (rows, files) == (shown, 1),
                  (rows, files, shown))
            if spark:
                check(f"{table}: delta-spark reads the optimized table",
                      spark_count(spark, path) == shown)
        # observe after optimize: the compacted applications are known.
        again = run(args.binary, "observe", "--source", os.path.join(logs, f"local-{1700000000000}"),
                    "--store", store, "--no-progress", "--format", "json")
        check("observe after optimize stores nothing twice",
              show_count(args.binary, store, "prometheus_applications") == APPS, again[-300:])
        if spark:
            spark_session().stop_spark()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
