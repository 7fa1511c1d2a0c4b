"""The Omen as a Spark job (issue 15): `prometheus.spark.observe` parses one
log per task on the executors of a real Spark (local[2]) with the native
parser of the installed wheel, and Spark merges the rows into Delta tables.

On the shared corpus the three tables hold what `prometheus observe` then
`prometheus recommend` store locally: the same schema (names, types,
nullability, read from each table's Delta log by deltalake) and the same
rows, value by value, read by delta-spark (the times of writing aside).
Observing again reads only what the local observe would read again and
adds no rows; the logs carried through binaryFile give the same rows, naming
the logs by their URIs, and so do logs packed several to a task; a path
with no log is an error naming it.

Not in --quick: it starts its own SparkSession."""
import glob
import os
import subprocess
import sys

import pytest

import delta_interop as di

WRITTEN_AT = {"ingested_at", "created_at", "collected_at"}  # when the rows were made


@pytest.fixture(scope="module")
def binary(request):
    if request.config.getoption("quick"):
        pytest.skip("the distributed observe is not part of --quick")
    path = request.config.getoption("prometheus")
    assert os.access(path, os.X_OK), f"no prometheus binary at {path}"
    return path


@pytest.fixture(scope="module")
def package(binary, tmp_path_factory):
    """The wheel `make wheel` built, installed into a folder of its own that
    the driver and the executors import `prometheus` from."""
    wheels = sorted(glob.glob(os.path.join(di.REPO, "build-wheel", "wheelhouse", "*.whl")))
    assert wheels, "no wheel in build-wheel/wheelhouse: run `make wheel`"
    target = str(tmp_path_factory.mktemp("site"))
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--disable-pip-version-check", "--target", target, wheels[-1]], check=True)
    sys.path.insert(0, target)
    yield target
    sys.path.remove(target)
    for name in [m for m in sys.modules if m == "prometheus" or m.startswith("prometheus.")]:
        del sys.modules[name]


@pytest.fixture(scope="module")
def spark(package):
    session = di.spark_session()
    # Python workers take their environment from the context's, per function.
    session.sparkContext.environment["PYTHONPATH"] = package
    yield session
    di.stop_spark()


@pytest.fixture(scope="module")
def local_lake(binary, tmp_path_factory):
    store = str(tmp_path_factory.mktemp("local") / "lake")
    for command in (["observe", "--source", di.SHARED_LOGS],
                    ["recommend", "--rules", os.path.join(di.REPO, "rules")]):
        done = di.run(binary, *command, "--store", store, "--no-progress")
        assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="module")
def spark_lake(spark, tmp_path_factory):
    from prometheus import spark as distributed
    store = str(tmp_path_factory.mktemp("spark") / "lake")
    result = distributed.observe(spark, di.SHARED_LOGS, store,
                                 rules=[os.path.join(di.REPO, "rules")])
    return store, result


def rows(spark, store, table, fields, normalise=lambda row: row):
    kept = [f for f in fields if f[0] not in WRITTEN_AT]
    return sorted((normalise(r) for r in di.spark_rows(spark, os.path.join(store, table), kept)),
                  key=repr)


@pytest.mark.parametrize("table", di.TABLES)
def test_the_tables_hold_what_observe_and_recommend_store_locally(
        spark, local_lake, spark_lake, table):
    store, _ = spark_lake
    local_schema = di.deltalake_schema(os.path.join(local_lake, table))
    assert di.deltalake_schema(os.path.join(store, table)) == local_schema
    expected = rows(spark, local_lake, table, local_schema)
    assert len(expected) > 20
    assert rows(spark, store, table, local_schema) == expected


def test_what_it_did_is_counted_and_repeats_are_warned_as_locally(spark_lake, binary):
    _, result = spark_lake
    assert result.logs_found >= 200 and result.logs_unchanged == 0
    assert result.logs_failed == 0
    assert result.applications_read > result.rows["prometheus_applications"] > 50
    repeats = [w for w in result.warnings if "was already read from" in w]
    assert repeats and all(w.endswith("; skipped") for w in repeats)


def test_observing_again_reads_only_what_stored_nothing_and_adds_nothing(spark, spark_lake):
    from prometheus import spark as distributed
    store, first = spark_lake
    counts = {t: spark.read.format("delta").load(os.path.join(store, t)).count()
              for t in di.TABLES}
    again = distributed.observe(spark, di.SHARED_LOGS, store)
    # As the local observe: a log whose application is stored, at the same
    # size, is not read again; the others (no application in them, or one
    # read from another log first) are, and leave the attempts stored
    # complete alone; one stored in progress is merged again (the local lake
    # replaces it too).
    assert again.logs_found == first.logs_found
    assert again.logs_unchanged == first.rows["prometheus_applications"]
    assert 0 < again.applications_stored_already < again.applications_read
    assert again.rows["prometheus_applications"] <= (
        again.applications_read - again.applications_stored_already)
    assert counts == {t: spark.read.format("delta").load(os.path.join(store, t)).count()
                      for t in di.TABLES}


def test_logs_carried_as_bytes_give_the_same_rows(spark, spark_lake, tmp_path):
    from prometheus import spark as distributed
    store, _ = spark_lake
    source = os.path.join(di.REPO, "testdata", "eventlogs")
    local_store, bytes_store = str(tmp_path / "local"), str(tmp_path / "bytes")
    distributed.observe(spark, source, local_store, read="local")
    result = distributed.observe(spark, source, bytes_store, read="bytes")
    assert result.logs_failed == 0 and result.rows["prometheus_applications"] == 5
    fields = di.deltalake_schema(os.path.join(local_store, "prometheus_applications"))

    def without_scheme(row):
        return {**row, "source_paths": row["source_paths"].replace("file:", "")}
    assert rows(spark, bytes_store, "prometheus_applications", fields, without_scheme) == rows(
        spark, local_store, "prometheus_applications", fields)
    carried = rows(spark, bytes_store, "prometheus_applications", fields)
    assert all(r["source_paths"].startswith("file:" + source) for r in carried)


def test_a_path_without_logs_is_an_error_naming_it(spark, tmp_path):
    from prometheus import spark as distributed
    missing = str(tmp_path / "no-such-folder")
    with pytest.raises(FileNotFoundError, match="no-such-folder"):
        distributed.observe(spark, missing, str(tmp_path / "lake"))


def test_packed_tasks_give_the_same_rows(spark, package, tmp_path):
    from prometheus import spark as distributed
    source = os.path.join(di.REPO, "testdata", "eventlogs")
    one, packed = str(tmp_path / "one"), str(tmp_path / "packed")
    distributed.observe(spark, source, one, now_ms=1_800_000_000_000)
    result = distributed.observe(spark, source, packed, logs_per_task=3,
                                 now_ms=1_800_000_000_000)
    assert result.logs_failed == 0 and result.rows["prometheus_applications"] == 5
    for table in di.TABLES:
        fields = di.deltalake_schema(os.path.join(one, table))
        assert rows(spark, packed, table, fields) == rows(spark, one, table, fields)


def test_packing_keeps_order_count_and_size(package):
    from prometheus.spark import PACKED_BYTES, LogGroup, pack

    def log(name, size):
        return LogGroup(name, (name,), (size,), False)
    small = [log(f"s{i}", 10) for i in range(7)]
    assert [[g.root for g in task] for task in pack(small, 3)] == [
        ["s0", "s1", "s2"], ["s3", "s4", "s5"], ["s6"]]
    assert len(pack(small, 1)) == 7
    big = log("big", PACKED_BYTES + 1)
    tasks = pack([small[0], big, small[1], small[2]], 10)
    assert [[g.root for g in task] for task in tasks] == [["s0"], ["big"], ["s1", "s2"]]
