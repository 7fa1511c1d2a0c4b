"""What the Delta interop tests share: one Delta-enabled SparkSession, a
lake that prometheus itself wrote, and the tables read three ways
(prometheus show, delta-spark, deltalake) as comparable rows."""
import csv
import datetime
import glob
import hashlib
import io
import json
import math
import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLES = ("prometheus_metrics", "prometheus_applications", "prometheus_recommendations")
SHARED_LOGS = os.path.join(os.path.dirname(REPO), "shared", "eventlogs")
TESTDATA_LOGS = os.path.join(REPO, "testdata", "eventlogs")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

_spark = None


def spark_session():
    """The one SparkSession of these tests, with Delta from the cached jars."""
    global _spark
    if _spark is None:
        from pyspark.sql import SparkSession
        jars = sorted(glob.glob(os.path.join(REPO, ".cache", "spark-jars", "delta-*.jar")))
        assert len(jars) == 2, "Delta's jars are missing from .cache/spark-jars: run tools/install-deps.sh"
        _spark = (SparkSession.builder.master("local[2]").appName("delta_interop")
                  .config("spark.driver.memory", "1g").config("spark.ui.enabled", "false")
                  .config("spark.ui.showConsoleProgress", "false")
                  .config("spark.sql.shuffle.partitions", "2")
                  .config("spark.databricks.delta.snapshotPartitions", "2")
                  .config("spark.sql.session.timeZone", "UTC")
                  .config("spark.jars", ",".join(jars))
                  .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                  .config("spark.sql.catalog.spark_catalog",
                          "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                  .getOrCreate())
        _spark.sparkContext.setLogLevel("ERROR")
    return _spark


def stop_spark():
    global _spark
    if _spark is not None:
        _spark.stop()
        _spark = None


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def ingestible_sources(binary, scratch_store, held_back):
    """One --source per application that observe stores from the
    repository's logs and ../shared's (when that folder is there), found by
    observing them all into `scratch_store`; the application of `held_back`
    is left out."""
    folders = [TESTDATA_LOGS] + ([SHARED_LOGS] if os.path.isdir(SHARED_LOGS) else [])
    done = run(binary, "observe", *[a for f in folders for a in ("--source", f)],
               "--store", scratch_store, "--no-progress")
    assert done.returncode == 0, done.stderr
    rows = json.loads(run(binary, "show", "prometheus_applications", "--store", scratch_store,
                          "--format", "json", "--limit", "0").stdout)
    held = {row["app_id"] for row in rows if held_back in row["source_paths"].split("\n")}
    assert held, f"{held_back} was not stored"
    sources = set()
    for row in rows:
        if row["app_id"] in held:
            continue
        paths = row["source_paths"].split("\n")
        sources.add(paths[0] if len(paths) == 1 else os.path.commonpath(paths))
    return sorted(sources)


def snapshot_folder(folder):
    """Every file under `folder` with a hash of its bytes: equal snapshots
    mean nothing was written, removed or changed."""
    state = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                state[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return state


def schema_fields(table_path):
    """(name, type, nullable) of the table's schemaString, at its latest
    metaData, from the JSON commits prometheus wrote."""
    schema = None
    for commit in sorted(glob.glob(os.path.join(table_path, "_delta_log", "*.json"))):
        with open(commit) as f:
            for line in f:
                action = json.loads(line)
                if "metaData" in action:
                    schema = json.loads(action["metaData"]["schemaString"])
    return [(f["name"], f["type"], f["nullable"]) for f in schema["fields"]]


def iso_millis(micros):
    """A timestamp as prometheus show prints it: UTC, floored to ms."""
    millis = micros // 1000
    moment = EPOCH + datetime.timedelta(milliseconds=millis)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"


def canonical(value, delta_type):
    if value is None:
        return None
    if delta_type == "timestamp":
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.timezone.utc)
            value = (value - EPOCH) // datetime.timedelta(microseconds=1)
        return iso_millis(value)
    if delta_type == "double":
        return None if math.isnan(value) else float(value)
    return value


def sorted_rows(rows):
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def show_rows(binary, store, table):
    """The table as `prometheus show --format json` prints it, checked to
    equal what --format csv prints, value by value."""
    shown = run(binary, "show", table, "--store", store, "--format", "json", "--limit", "0")
    assert shown.returncode == 0, shown.stderr
    rows = json.loads(shown.stdout)
    as_csv = run(binary, "show", table, "--store", store, "--format", "csv", "--limit", "0")
    assert as_csv.returncode == 0, as_csv.stderr
    records = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert len(records) == len(rows) + 1
    for row, record in zip(rows, records[1:]):
        assert list(row) == records[0]
        for value, text in zip(row.values(), record):
            if value is None:
                assert text == ""
            elif isinstance(value, bool):
                assert text == ("true" if value else "false")
            elif isinstance(value, float):
                assert float(text) == value
            else:
                assert text == str(value)
    return rows


def spark_rows(spark, table_path, fields):
    """The table as delta-spark reads it: timestamps as epoch microseconds
    (no time zone in between), then in show's form."""
    from pyspark.sql import functions as F
    frame = spark.read.format("delta").load(table_path)
    columns = [F.unix_micros(F.col(name)).alias(name) if kind == "timestamp" else F.col(name)
               for name, kind, _ in fields]
    return [{name: canonical(row[name], kind) for name, kind, _ in fields}
            for row in frame.select(*columns).collect()]


def spark_schema(spark, table_path):
    frame = spark.read.format("delta").load(table_path)
    return [(f.name, f.dataType.typeName(), f.nullable) for f in frame.schema.fields]


def deltalake_rows(table_path, fields):
    """The table as deltalake (delta-rs, DataFusion) reads it."""
    from deltalake import DeltaTable, QueryBuilder
    reader = QueryBuilder().register("t", DeltaTable(table_path)).execute("SELECT * FROM t")
    batches = list(reader)
    out = []
    for batch in batches:
        columns = {name: batch.column(name).to_pylist() for name, _, _ in fields}
        for i in range(batch.num_rows):
            out.append({name: canonical(columns[name][i], kind) for name, kind, _ in fields})
    return out


def deltalake_schema(table_path):
    from deltalake import DeltaTable
    schema = json.loads(DeltaTable(table_path).schema().to_json())
    return [(f["name"], f["type"], f["nullable"]) for f in schema["fields"]]
