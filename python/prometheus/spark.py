"""The Omen as a Spark job on the user's own cluster.

``observe(spark, source, store)`` lists the event logs under ``source`` (any
path Spark's Hadoop client reads: ``dbfs:/cluster-logs``, ``/Volumes/...``,
``s3a://...``, ``abfss://...``, local folders), hands one log per task to the
executors, where the native parser of the ``prometheus`` binary reads it
and the rules judge it, and merges the rows into three Delta tables with
exactly the schemas of a local lake: ``prometheus_metrics``,
``prometheus_applications`` and ``prometheus_recommendations``.

A log is parsed by one task on one core: its memory stays flat whatever its
size, and a log of many GB takes as long as the binary takes on one core.
Logs the executors can open as local files (``file:``, the ``/dbfs`` and
``/Volumes`` mounts of Databricks) are streamed from disk; others travel
through Spark's ``binaryFile`` source, whole, so such a log must fit in a
task's memory (and under 2 GiB, Spark's limit for one binary record).

Uses the RDD API: a classic cluster (a Databricks job cluster in single-user
or no-isolation mode, any Spark 3.5 cluster), not Spark Connect.
"""
from __future__ import annotations

import dataclasses
import json
import os
import posixpath
import shutil
import sys
import tempfile
import time
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

TABLES = ("prometheus_metrics", "prometheus_applications", "prometheus_recommendations")

# The layouts of io/event_log_files.cc whose parts are a folder's files:
# rolling logs, Spark 1.x directory logs and Databricks delivery folders.
# The native reader orders the parts; here they are only kept together.
def _is_log_folder(folder: str, names: set[str]) -> bool:
    if posixpath.basename(folder).startswith("eventlog_v2_"):
        return True
    if "EVENT_LOG_1" in names or "eventlog" in names:
        return True
    return any(n.startswith("eventlog-") and len(n) >= 25 and n[13] == "-" for n in names)


@dataclasses.dataclass(frozen=True)
class LogGroup:
    """One event log: a file, or a folder of parts. ``paths`` and ``sizes``
    are as Spark lists them (URIs)."""

    root: str
    paths: tuple[str, ...]
    sizes: tuple[int, ...]
    is_folder: bool

    @property
    def total_bytes(self) -> int:
        return sum(self.sizes)


def group_logs(listing: Iterable[tuple[str, int]]) -> list[LogGroup]:
    """Groups a recursive file listing (path, length) into logs, sorted by
    root. Hidden files (Hadoop's .crc files among them) and, outside log
    folders, empty files are passed over, as `prometheus observe` passes
    them over when walking a folder."""
    by_folder: dict[str, list[tuple[str, int]]] = {}
    for path, size in listing:
        if not posixpath.basename(path).startswith("."):
            by_folder.setdefault(posixpath.dirname(path), []).append((path, int(size)))
    groups = []
    for folder, files in by_folder.items():
        files.sort()
        names = {posixpath.basename(p) for p, _ in files}
        if _is_log_folder(folder, names):
            groups.append(LogGroup(folder, tuple(p for p, _ in files),
                                   tuple(s for _, s in files), True))
            continue
        for path, size in files:
            name = posixpath.basename(path)
            if size == 0:
                continue
            groups.append(LogGroup(path, (path,), (size,), False))
    return sorted(groups, key=lambda g: g.root)


def local_path(uri: str) -> Optional[str]:
    """The path under which this machine opens `uri` as a local file, or
    None: ``file:`` URIs, plain paths, and ``dbfs:`` through the ``/dbfs``
    mount when there is one."""
    if uri.startswith("file:"):
        path = uri[len("file:"):]
        if path.startswith("//"):
            path = path[2:]
        return "/" + path.lstrip("/")
    if uri.startswith("dbfs:"):
        path = "/dbfs/" + uri[len("dbfs:"):].lstrip("/")
        return path if os.path.exists(path) else None
    if uri.startswith("/"):
        return uri
    return None


def stored_name(uri: str) -> str:
    """A log's path as the tables store it: the local path when there is
    one (what `prometheus observe` stores), else the URI."""
    return local_path(uri) if uri.startswith(("file:", "/")) else uri


@dataclasses.dataclass
class ObserveResult:
    """What one distributed observe did."""

    logs_found: int
    logs_unchanged: int  # held by the tables at the same size: not read
    logs_analysed: int
    logs_failed: int  # no readable log in them (each a warning)
    applications_read: int
    applications_before_since: int
    applications_stored_already: int  # read again, stored complete before: left alone
    rows: dict[str, int]  # rows merged into each table
    warnings: list[str]
    # Seconds spent listing and grouping (driver), parsing (the tasks, with
    # their start-up) and writing (the MERGEs).
    timings: dict[str, float]


@dataclasses.dataclass(frozen=True)
class _Settings:
    since: Optional[str]
    now_ms: Optional[int]
    rule_files: tuple[tuple[str, str], ...]  # (name, text) of user rule files
    disabled: tuple[str, ...]
    thresholds: tuple[str, ...]


def _read_rule_files(folders: Sequence[str]) -> tuple[tuple[str, str], ...]:
    files = []
    for folder in folders:
        if not os.path.isdir(folder):
            raise FileNotFoundError(f"{folder}: no such folder of rule files")
        for name in sorted(os.listdir(folder)):
            if name.endswith(".toml"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    files.append((f"{len(files):04d}-{name}", f.read()))
    return tuple(files)


def _analyse(paths: list[str], settings: _Settings, work: str) -> dict[str, Any]:
    from prometheus import _native

    # Always a folder of its own (maybe empty): never the executor's ./rules.
    rules = os.path.join(work, "rules")
    os.makedirs(rules, exist_ok=True)
    for name, text in settings.rule_files:
        with open(os.path.join(rules, name), "w", encoding="utf-8") as f:
            f.write(text)
    return _native.log_rows(paths, since=settings.since, now_ms=settings.now_ms,
                            rule_folders=[rules], disabled=list(settings.disabled),
                            thresholds=list(settings.thresholds))


# Each output row is (kind, root, payload): a table's name and a JSON row of
# it, or "_warning" and a sentence, or "_counts" and a JSON object of counts;
# `root` names the log it came from.
Output = tuple[str, str, str]


def _emit(root: str, rows: dict[str, Any],
          rename: Optional[tuple[str, str]] = None) -> Iterator[Output]:
    for table in TABLES:
        for row in rows[table]:
            if rename and table == "prometheus_applications":
                record = json.loads(row)
                record["source_paths"] = record["source_paths"].replace(*rename)
                row = json.dumps(record, allow_nan=True)
            yield table, root, row
    for warning in rows["warnings"]:
        yield "_warning", root, warning
    yield "_counts", root, json.dumps({
        "applications_read": rows["applications_read"],
        "applications_before_since": rows["applications_before_since"]})


def _failed(root: str, error: Exception) -> Iterator[Output]:
    yield "_warning", root, f"{root}: {error}"
    yield "_counts", root, json.dumps({"failed": 1})


def _rows_of_local_logs(groups: Iterable[LogGroup],
                        settings: _Settings) -> Iterator[Output]:
    """On an executor: each log read from the local file system."""
    for group in groups:
        root = local_path(group.root)
        work = tempfile.mkdtemp(prefix="prometheus-")
        try:
            yield from _emit(group.root, _analyse([root], settings, work))
        except Exception as error:  # one bad log must not stop the batch
            yield from _failed(group.root, error)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _rows_of_copied_log(item: tuple[str, Iterable[tuple[str, bytes]]], is_folder: bool,
                        settings: _Settings) -> Iterator[Output]:
    """On an executor: one log whose parts came through binaryFile, written
    to local disk under their own names, analysed, and its rows naming the
    parts by their URIs."""
    root, parts = item
    work = tempfile.mkdtemp(prefix="prometheus-")
    try:
        folder = os.path.join(work, "log")
        os.makedirs(folder)
        if is_folder:
            folder = os.path.join(folder, posixpath.basename(root))
            os.makedirs(folder)
        for path, content in parts:
            with open(os.path.join(folder, posixpath.basename(path)), "wb") as f:
                f.write(content)
        target = folder if is_folder else os.path.join(folder, posixpath.basename(root))
        copied_parent = os.path.dirname(folder) if is_folder else folder
        rename = (copied_parent + "/", posixpath.dirname(root) + "/")
        yield from _emit(root, _analyse([target], settings, work), rename)
    except Exception as error:
        yield from _failed(root, error)
    finally:
        shutil.rmtree(work, ignore_errors=True)


PACKED_BYTES = 256 << 20  # at most this much log in a packed task


def pack(groups: Sequence[LogGroup], logs_per_task: int) -> list[list[LogGroup]]:
    """The logs of each task, in order: at most `logs_per_task` of them and
    PACKED_BYTES in all, a log larger than that alone."""
    tasks: list[list[LogGroup]] = []
    size = 0
    for group in groups:
        if (not tasks or len(tasks[-1]) >= logs_per_task
                or size + group.total_bytes > PACKED_BYTES):
            tasks.append([])
            size = 0
        tasks[-1].append(group)
        size += group.total_bytes
    return tasks


def _is_path(store: str) -> bool:
    return "/" in store or ":" in store


def _table(store: str, table: str) -> str:
    return posixpath.join(store, table) if _is_path(store) else f"{store}.{table}"


def _spark_schema(table: str):
    from pyspark.sql.types import StructType
    from prometheus import _native

    return StructType.fromJson(json.loads(_native.table_schema(table)))


def _delta_table(spark, store: str, table: str, create: bool):
    """The Delta table, created with the lake's schema (names, types and
    nullability) when `create` and missing; None when missing otherwise."""
    from delta.tables import DeltaTable

    where = _table(store, table)
    if _is_path(store):
        exists = DeltaTable.isDeltaTable(spark, where)
    else:
        exists = spark.catalog.tableExists(where)
    if not exists:
        if not create:
            return None
        builder = DeltaTable.createIfNotExists(spark).addColumns(_spark_schema(table))
        builder = builder.location(where) if _is_path(store) else builder.tableName(where)
        builder.execute()
    return DeltaTable.forPath(spark, where) if _is_path(store) else DeltaTable.forName(spark, where)


def _held(spark, store: str) -> tuple[set[tuple[str, int]], set[str]]:
    """What the applications table holds, as `prometheus observe` reads it:
    (source, bytes) of each log, which need not be read again at that size,
    and the keys of the attempts stored complete, which are left alone."""
    stored = _delta_table(spark, store, "prometheus_applications", create=False)
    if stored is None:
        return set(), set()
    logs, complete = set(), set()
    rows = stored.toDF().where("task_run_id IS NULL").select(
        "source_paths", "source_layout", "source_bytes", "status", "app_id",
        "app_attempt_id").collect()
    for paths, layout, size, status, app_id, attempt_id in rows:
        first = (paths or "").split("\n")[0]
        logs.add((first if layout == "file" else posixpath.dirname(first), size))
        if status == "complete":
            complete.add(f"{app_id}#{attempt_id or ''}")
    return logs, complete


def _merge(spark, store: str, table: str, rows) -> None:
    from prometheus import _native

    keys = _native.merge_keys(table)
    on = " AND ".join(f"t.`{k}` <=> s.`{k}`" for k in keys)
    target = _delta_table(spark, store, table, create=True)
    (target.alias("t").merge(rows.dropDuplicates(keys).alias("s"), on)
     .whenMatchedUpdateAll().whenNotMatchedInsertAll().execute())


def _typed_rows(frame, table: str):
    """The JSON rows of `table` as columns of its schema (timestamps travel
    as microseconds since the epoch), and the log each came from (`_root`)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StructField, StructType, TimestampType

    schema = _spark_schema(table)
    carried = StructType([StructField(f.name, LongType() if isinstance(f.dataType, TimestampType)
                                      else f.dataType, True) for f in schema.fields])
    parsed = frame.where(F.col("kind") == table).select(
        "root", F.from_json("payload", carried, {"allowNonNumericNumbers": "true"}).alias("r"))
    columns = []
    for field in schema.fields:
        value = F.col(f"r.`{field.name}`")
        if isinstance(field.dataType, TimestampType):
            value = F.expr(f"timestamp_micros(r.`{field.name}`)")
        columns.append(value.alias(field.name))
    return parsed.select(*columns, F.col("root").alias("_root"))


def list_files(spark, source: str) -> list[tuple[str, int]]:
    """Every file below `source` (a file or a folder, any Hadoop file system
    path) with its length, through Spark's Hadoop client. Unlike Spark's
    file sources this keeps names that start with '_' (Spark 1.x logs sit
    in such folders)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(source)
    try:
        fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        files = fs.listFiles(path, True)
        out = []
        while files.hasNext():
            status = files.next()
            out.append((status.getPath().toString(), status.getLen()))
        return out
    except Exception as error:  # Py4JJavaError: FileNotFoundException and the like
        java = getattr(error, "java_exception", None)
        reason = java.toString() if java is not None else str(error).splitlines()[0]
        raise FileNotFoundError(f"{source}: cannot list event logs: {reason}") from None


def _first_reads(apps: list[tuple[str, str]]) -> tuple[set[tuple[str, str]], list[str]]:
    """Of the (application key, log root) pairs, those read again from a
    later log, and the warnings `prometheus observe` gives for them: an
    attempt is kept from the first log in name order, as a local batch
    keeps it."""
    first: dict[str, str] = {}
    for key, root in sorted(apps, key=lambda pair: (pair[1], pair[0])):
        first.setdefault(key, root)
    repeats = {(key, root) for key, root in apps if first[key] != root}
    def named(key: str) -> str:
        app, attempt = key.split("#", 1)
        return f"application {app} attempt {attempt or '-'}"
    warnings = [f"{stored_name(root)}: {named(key)} was already read from "
                f"{stored_name(first[key])}; skipped" for key, root in sorted(repeats)]
    return repeats, warnings


def observe(spark, source: Union[str, Sequence[str]], store: str, *,
            since: Optional[str] = None, rules: Sequence[str] = (),
            disable: Sequence[str] = (), thresholds: Sequence[str] = (),
            read: str = "auto", logs_per_task: int = 1,
            now_ms: Optional[int] = None) -> ObserveResult:
    """Observes the event logs under `source` with Spark, one log per task.

    `store` is where the tables go: a folder or URI (the tables are Delta
    tables at ``STORE/prometheus_metrics`` and so on, the layout of a local
    lake, which ``prometheus show --store`` reads) or a ``catalog.schema``
    (managed tables ``catalog.schema.prometheus_metrics``...). Rows are
    MERGEd on each table's key (the application attempt, its stage attempt,
    the recommendation id): observing the same logs again adds nothing, and
    a log held at the same size is not read again. An application attempt
    found in two logs is kept from the first in name order, as
    `prometheus observe` keeps it.

    `since` ("24h", "7d"...) keeps applications that started within it.
    `rules` are folders of rule files (read here, on the driver), `disable`
    rule ids, `thresholds` RULE.NAME=VALUE, as the command line's options.
    `read` is "auto" (local files where the executors can open them, else
    binaryFile), "local" or "bytes". `logs_per_task` packs up to that many
    logs into one task (at most 256 MB of them; a larger log is a task of its
    own): Spark's start-up of a task costs more than parsing a small log
    (docs/DISTRIBUTED.md). `now_ms` fixes the time written.
    """
    from pyspark.sql import functions as F

    if read not in ("auto", "local", "bytes"):
        raise ValueError(f"read={read!r}: expected 'auto', 'local' or 'bytes'")
    if logs_per_task < 1:
        raise ValueError(f"logs_per_task={logs_per_task}: expected 1 or more")
    sources = [source] if isinstance(source, str) else list(source)
    started = time.perf_counter()
    groups = group_logs(f for path in sources for f in list_files(spark, path))
    if not groups:
        raise FileNotFoundError(f"{', '.join(sources)}: no event log found")
    held, complete = _held(spark, store)
    todo = [g for g in groups if (stored_name(g.root), g.total_bytes) not in held]
    settings = _Settings(since, now_ms, _read_rule_files(rules), tuple(disable),
                         tuple(thresholds))
    local: list[LogGroup] = []
    copied: list[LogGroup] = []
    for group in todo:
        readable = read == "local" or (read == "auto" and local_path(group.root) is not None)
        (local if readable else copied).append(group)
    context = spark.sparkContext
    parts = []
    if local:
        tasks = pack(local, logs_per_task)
        parts.append(context.parallelize(tasks, len(tasks)).flatMap(
            lambda groups: _rows_of_local_logs(groups, settings)))
    if copied:
        root_of = {path: g.root for g in copied for path in g.paths}
        folder_roots = {g.root for g in copied if g.is_folder}
        content = spark.read.format("binaryFile").load(list(root_of)).select("path", "content")
        parts.append(content.rdd
                     .map(lambda r: (root_of[r.path], (r.path, bytes(r.content))))
                     .groupByKey(len(pack(copied, logs_per_task)))
                     .flatMap(lambda item: _rows_of_copied_log(
                         item, item[0] in folder_roots, settings)))
    counts = {"applications_read": 0, "applications_before_since": 0, "failed": 0,
              "applications_stored_already": 0}
    warnings: list[str] = []
    merged = {table: 0 for table in TABLES}
    timings = {"listing_s": time.perf_counter() - started, "parse_s": 0.0, "write_s": 0.0}
    if parts:
        out = parts[0] if len(parts) == 1 else context.union(parts)
        frame = spark.createDataFrame(out, "kind string, root string, payload string").persist()
        try:
            for kind, _, payload in frame.where(F.col("kind").startswith("_")).collect():
                if kind == "_warning":
                    warnings.append(payload)
                else:
                    for name, value in json.loads(payload).items():
                        counts[name] += value
            apps = _typed_rows(frame, "prometheus_applications").select(
                F.concat_ws("#", "app_id", F.coalesce("app_attempt_id", F.lit(""))), "_root")
            app_roots = [tuple(r) for r in apps.collect()]
            repeats, repeat_warnings = _first_reads(app_roots)
            warnings.extend(repeat_warnings)
            # An attempt stored complete is left as it is, as `observe` leaves it.
            stored = {(key, root) for key, root in app_roots if key in complete}
            counts["applications_stored_already"] = len(stored)
            repeats |= stored
            timings["parse_s"] = time.perf_counter() - started - timings["listing_s"]
            # Metrics before applications: an application row marks an attempt
            # stored, so a run cut short between the two is completed next time.
            for table in TABLES:
                rows = _typed_rows(frame, table)
                if repeats:
                    key = F.concat_ws("#", "app_id", F.coalesce("app_attempt_id", F.lit("")),
                                      "_root")
                    rows = rows.where(~key.isin([f"{k}#{r}" for k, r in repeats]))
                rows = rows.drop("_root")
                merged[table] = rows.count()
                if merged[table]:
                    _merge(spark, store, table, rows)
            timings["write_s"] = (time.perf_counter() - started - timings["listing_s"]
                                  - timings["parse_s"])
        finally:
            frame.unpersist()
    return ObserveResult(
        logs_found=len(groups), logs_unchanged=len(groups) - len(todo),
        logs_analysed=len(todo) - counts["failed"], logs_failed=counts["failed"],
        applications_read=counts["applications_read"],
        applications_before_since=counts["applications_before_since"],
        applications_stored_already=counts["applications_stored_already"],
        rows=merged, warnings=warnings, timings=timings)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """`python -m prometheus.spark --source PATH --store STORE [--since 24h]`:
    the distributed observe as a Spark job (spark-submit, a Databricks job's
    task). Prints what it did as JSON; exits 0 when done, 1 when logs could
    not be read or written, 2 for bad arguments or no log at all."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m prometheus.spark",
        description="Observe event logs with Spark, one log per task, into Delta tables.")
    parser.add_argument("--source", action="append", required=True,
                        help="a folder or file of event logs, any Hadoop path; repeatable")
    parser.add_argument("--store", default=os.environ.get("PROMETHEUS_STORAGE"),
                        help="a folder or URI of Delta tables, or CATALOG.SCHEMA "
                             "(default: $PROMETHEUS_STORAGE)")
    parser.add_argument("--since", help="only applications that started within this (24h, 7d)")
    parser.add_argument("--rules", action="append", default=[],
                        help="a folder of rule files (*.toml) on the driver; repeatable")
    parser.add_argument("--disable", action="append", default=[], help="a rule id; repeatable")
    parser.add_argument("--threshold", action="append", default=[],
                        help="RULE.NAME=VALUE; repeatable")
    parser.add_argument("--read", choices=("auto", "local", "bytes"), default="auto",
                        help="how executors read logs: local files where they can (auto), "
                             "always local files, or always through binaryFile")
    parser.add_argument("--logs-per-task", type=int, default=1,
                        help="pack up to this many small logs into one task (default 1)")
    args = parser.parse_args(argv)
    if not args.store:
        parser.error("--store is required when PROMETHEUS_STORAGE is not set")
    if args.store.startswith("uc:"):
        args.store = args.store[3:]  # the tables are the catalog's, named
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("prometheus observe").getOrCreate()
    try:
        result = observe(spark, args.source, args.store, since=args.since, rules=args.rules,
                         disable=args.disable, thresholds=args.threshold, read=args.read,
                         logs_per_task=args.logs_per_task)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(json.dumps(dataclasses.asdict(result), indent=2))
    return 1 if result.logs_failed else 0


if __name__ == "__main__":
    sys.exit(main())
