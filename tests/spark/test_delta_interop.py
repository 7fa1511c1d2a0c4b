"""Delta Lake reads our tables, and we read theirs (issue 11 §2).

A lake written by `prometheus observe` (one batch per log, so the log has
many JSON commits) and `prometheus recommend` is read by delta-spark and by
deltalake (delta-rs): the same schema and the same values as `prometheus
show`. Then Delta itself writes to a copy of the lake (appends, OPTIMIZE,
checkpoints of each kind, deletion vectors, column mapping), and `show` and
`observe` either read it right or refuse, naming the table and the feature,
without changing a byte.

Not in --quick: it starts its own SparkSession (one for the module)."""
import json
import os
import re
import shutil

import pytest

import delta_interop as di

TABLE = "prometheus_applications"  # the table Delta writes to in the cases


@pytest.fixture(scope="module")
def binary(request):
    if request.config.getoption("quick"):
        pytest.skip("the Delta interop suite is not part of --quick")
    path = request.config.getoption("prometheus")
    assert os.access(path, os.X_OK), f"no prometheus binary at {path}"
    return path


@pytest.fixture(scope="module")
def spark(binary):
    yield di.spark_session()
    di.stop_spark()


HELD_BACK = os.path.join(di.TESTDATA_LOGS, "app-20200706201101-0003")
MAX_BATCHES = 40  # one observe per log up to here, the rest in one more


@pytest.fixture(scope="module")
def lake(binary, tmp_path_factory):
    """A lake from one observe per application log (HELD_BACK's application
    left out, for a later observe), then recommend."""
    sources = di.ingestible_sources(binary, str(tmp_path_factory.mktemp("scratch") / "lake"),
                                    HELD_BACK)
    store = str(tmp_path_factory.mktemp("lake") / "lake")
    batches = [[s] for s in sources[:MAX_BATCHES - 1]] + [sources[MAX_BATCHES - 1:]]
    for batch in filter(None, batches):
        args = [a for source in batch for a in ("--source", source)]
        done = di.run(binary, "observe", *args, "--store", store, "--format", "json",
                      "--no-progress")
        assert done.returncode == 0, done.stderr
    done = di.run(binary, "recommend", "--store", store, "--format", "json", "--no-progress")
    assert done.returncode == 0, done.stderr
    commits = len(os.listdir(os.path.join(store, "prometheus_metrics", "_delta_log")))
    if os.path.isdir(di.SHARED_LOGS):
        assert commits >= 25, f"only {commits} commits"
    return store


def expect_same_schema(spark, table_path):
    ours = di.schema_fields(table_path)
    assert di.spark_schema(spark, table_path) == ours
    assert di.deltalake_schema(table_path) == ours
    return ours


def expect_readers_agree(binary, spark, store, table):
    """show, delta-spark and deltalake return the same rows."""
    path = os.path.join(store, table)
    fields = expect_same_schema(spark, path)
    shown = di.sorted_rows(di.show_rows(binary, store, table))
    assert di.sorted_rows(di.spark_rows(spark, path, fields)) == shown
    assert di.sorted_rows(di.deltalake_rows(path, fields)) == shown
    return shown


@pytest.mark.parametrize("table", di.TABLES)
def test_delta_readers_read_what_prometheus_wrote(binary, spark, lake, table):
    from deltalake import DeltaTable
    rows = expect_readers_agree(binary, spark, lake, table)
    assert rows, f"{table} is empty: nothing was compared"
    log = sorted(os.listdir(os.path.join(lake, table, "_delta_log")))
    commits = [name for name in log if re.fullmatch(r"\d{20}\.json", name)]
    assert DeltaTable(os.path.join(lake, table)).version() == len(commits) - 1
    # A checkpoint every 10 commits, as Delta's writers make them, which
    # both readers above started from.
    checkpoints = [name for name in log if name.endswith(".checkpoint.parquet")]
    assert len(checkpoints) == (len(commits) - 1) // 10
    assert bool(checkpoints) == ("_last_checkpoint" in log)
    # Our add.stats let Spark skip files on a filter: wrong bounds would
    # drop rows. One equality filter per column (20 at most), on a value the
    # table holds.
    from pyspark.sql import functions as F
    frame = spark.read.format("delta").load(os.path.join(lake, table))
    fields = [f for f in di.schema_fields(os.path.join(lake, table))
              if f[1] in ("long", "string", "double")][:20]
    for name, _, _ in fields:
        values = sorted(row[name] for row in rows if row[name] is not None)
        if not values:
            continue
        value = values[len(values) // 2]
        want = sum(1 for row in rows if row[name] == value)
        assert frame.filter(F.col(name) == F.lit(value)).count() == want, (name, value)


# Each case: how the real writer changes prometheus_applications, and what
# prometheus does next: show reads it (or refuses naming the feature) and
# observe appends to it (or refuses naming the feature).
def spark_sql(spark, statement):
    spark.sql(statement).collect()


def spark_append(spark, path):
    spark.read.format("delta").load(path).limit(3).write.format("delta").mode("append").save(path)


def spark_optimize(spark, path):
    spark_sql(spark, f"OPTIMIZE delta.`{path}`")


def spark_checkpoint(spark, path):
    spark_sql(spark, f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ('delta.checkpointInterval'='1')")
    assert any(n.endswith(".checkpoint.parquet") for n in os.listdir(os.path.join(path, "_delta_log")))


def spark_multipart_checkpoint(spark, path):
    spark.conf.set("spark.databricks.delta.checkpoint.partSize", "4")
    try:
        spark_checkpoint_parts(spark, path)
    finally:
        spark.conf.unset("spark.databricks.delta.checkpoint.partSize")


def spark_checkpoint_parts(spark, path):
    spark_sql(spark, f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ('delta.checkpointInterval'='1')")
    parts = [n for n in os.listdir(os.path.join(path, "_delta_log")) if ".checkpoint.0" in n]
    assert len(parts) > 1, sorted(os.listdir(os.path.join(path, "_delta_log")))


def spark_v2_checkpoint(spark, path):
    spark_sql(spark, f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES "
              "('delta.checkpointPolicy'='v2', 'delta.checkpointInterval'='1')")
    log = os.listdir(os.path.join(path, "_delta_log"))
    assert any(".checkpoint." in n and n.count(".") == 3 and "-" in n for n in log), sorted(log)


def spark_deletion_vectors(spark, path):
    spark_sql(spark, f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ('delta.enableDeletionVectors'='true')")
    spark_sql(spark, f"DELETE FROM delta.`{path}` WHERE num_stages % 2 = 1")
    assert any(n.startswith("deletion_vector_") for n in os.listdir(path))


def spark_column_mapping(spark, path):
    spark_sql(spark, f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ('delta.columnMapping.mode'='name', "
              "'delta.minReaderVersion'='2', 'delta.minWriterVersion'='5')")
    spark_sql(spark, f"ALTER TABLE delta.`{path}` RENAME COLUMN app_name TO application_name")


def deltalake_append(spark, path):
    from deltalake import DeltaTable, QueryBuilder, write_deltalake
    rows = QueryBuilder().register("t", DeltaTable(path)).execute("SELECT * FROM t LIMIT 3")
    write_deltalake(path, rows.read_all(), mode="append")


def deltalake_optimize(spark, path):
    from deltalake import DeltaTable
    metrics = DeltaTable(path).optimize.compact()
    assert metrics["numFilesRemoved"] > 1, metrics


def deltalake_checkpoint(spark, path):
    from deltalake import DeltaTable
    DeltaTable(path).create_checkpoint()
    assert any(n.endswith(".checkpoint.parquet") for n in os.listdir(os.path.join(path, "_delta_log")))


# case -> (show reads it, observe writes to it, what a refusal names)
CASES = {
    spark_append: (True, False, "prometheus.app"),
    spark_optimize: (True, False, "prometheus.app"),
    spark_checkpoint: (True, True, None),
    spark_multipart_checkpoint: (True, True, None),
    spark_v2_checkpoint: (True, False, "writer version 7"),
    spark_deletion_vectors: (False, False, "deletionVectors"),
    spark_column_mapping: (False, False, "column mapping"),
    deltalake_append: (True, False, "prometheus.app"),
    deltalake_optimize: (True, False, "prometheus.app"),
    deltalake_checkpoint: (True, True, None),
}


@pytest.mark.parametrize("change", list(CASES), ids=[c.__name__ for c in CASES])
def test_prometheus_reads_or_refuses_what_delta_wrote(binary, spark, lake, tmp_path, change):
    show_reads, observe_writes, feature = CASES[change]
    store = str(tmp_path / "lake")
    shutil.copytree(lake, store)
    path = os.path.join(store, TABLE)
    change(spark, path)
    fields = di.schema_fields(path) if show_reads else None

    before = di.snapshot_folder(store)
    shown = di.run(binary, "show", TABLE, "--store", store, "--format", "json", "--limit", "0")
    assert di.snapshot_folder(store) == before, "show changed the lake"
    if show_reads:
        assert shown.returncode == 0, shown.stderr
        expected = di.sorted_rows(di.spark_rows(spark, path, fields))
        assert di.sorted_rows(json.loads(shown.stdout)) == expected
    else:
        assert shown.returncode != 0, "show read a table it should refuse"
        assert TABLE in shown.stderr and feature in shown.stderr, shown.stderr

    observed = di.run(binary, "observe", "--source", HELD_BACK, "--store", store, "--format",
                      "json", "--no-progress")
    if observe_writes:
        assert observed.returncode == 0, observed.stderr
        assert json.loads(observed.stdout)["applications_appended"] == 1, observed.stdout
        for table in di.TABLES[:2]:
            expect_readers_agree(binary, spark, store, table)
    else:
        assert observed.returncode != 0, "observe wrote to a table it should refuse"
        assert TABLE in observed.stderr and feature in observed.stderr, observed.stderr
        assert di.snapshot_folder(store) == before, "a refused observe changed the lake"
