"""The commands as functions: keyword arguments become the command line's options.

Each runs the same code as the ``prometheus`` binary, in this process, with
the GIL released while it works (one command at a time per process: they
write through process-wide streams). A non-zero exit raises
``PrometheusError`` carrying the command's own error text.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Union

from prometheus import _native
from prometheus.errors import error_for
from prometheus.model import Analysis, Application

PathLike = Union[str, "os.PathLike[str]"]
Paths = Union[PathLike, Iterable[PathLike]]


@dataclass(frozen=True)
class Completed:
    """A finished command: its exit code and what it printed."""

    exit_code: int
    stdout: str
    stderr: str


def run(argv: Iterable[str], *, check: bool = True) -> Completed:
    """Runs ``prometheus ARGV...`` with its output captured.

    Raises ``PrometheusError`` on a non-zero exit unless ``check`` is False.
    """
    args = [os.fspath(arg) for arg in argv]
    exit_code, out, err = _native.run(args, True)
    done = Completed(exit_code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"))
    if check and exit_code != 0:
        raise error_for(exit_code, args, done.stderr)
    return done


def _paths(paths: Paths) -> list[str]:
    if isinstance(paths, (str, os.PathLike)):
        return [os.fspath(paths)]
    return [os.fspath(path) for path in paths]


def _repeated(flag: str, values: Iterable[Any] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, (str, os.PathLike)):
        values = [values]
    return [part for value in values for part in (flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value))]


def _single(flag: str, value: Any) -> list[str]:
    if value is None or value is False:
        return []
    if value is True:
        return [flag]
    return [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]


def _rule_options(rules: Paths | None, disable: Iterable[str] | None,
                  thresholds: Mapping[str, Any] | None) -> list[str]:
    pairs = [f"{name}={value}" for name, value in (thresholds or {}).items()]
    return (_repeated("--rules", _paths(rules) if rules is not None else None)
            + _repeated("--disable", disable) + _repeated("--threshold", pairs))


def _store_options(store: PathLike | None, warehouse_id: str | None, staging_volume: str | None,
                   profile: str | None) -> list[str]:
    return (_single("--store", store) + _single("--warehouse-id", warehouse_id)
            + _single("--staging-volume", staging_volume) + _single("--profile", profile))


def analyze(paths: Paths, *, threads: int = 0, rules: Paths | None = None,
            disable: Iterable[str] | None = None,
            thresholds: Mapping[str, Any] | None = None) -> Analysis:
    """Analyses event logs: ``prometheus analyze --format json PATHS...``.

    Args:
        paths: event-log files or folders (any layout the command reads).
        threads: logs analysed at once (0: one per core).
        rules: folders of rule files read after the built-in rules.
        disable: rule ids to switch off.
        thresholds: ``{"RULE.NAME": value}`` threshold changes (docs/RULES.md).

    Returns:
        The applications, each with its KPIs and recommendations; the list
        also has the run's ``warnings`` and ``to_pandas``/``to_arrow``.
    """
    argv = (["analyze", "--format", "json", "--no-progress", "--threads", str(threads)]
            + _rule_options(rules, disable, thresholds) + ["--", *_paths(paths)])
    document = json.loads(run(argv).stdout)
    return Analysis([Application.from_json(app) for app in document["applications"]],
                    warnings=document.get("warnings", []),
                    corrupt_lines=document.get("corrupt_lines", 0))


def observe(sources: Paths | None = None, *, store: PathLike | None = None,
            since: str | None = None, threads: int = 0, databricks: bool = False,
            profile: str | None = None, job_ids: Iterable[int] | None = None,
            concurrency: int | None = None, keep_logs: bool = False,
            warehouse_id: str | None = None,
            staging_volume: str | None = None) -> dict[str, Any]:
    """Appends new or grown logs' KPIs to the lake: ``prometheus observe --format json``.

    Args:
        sources: event-log files or folders (``--source``).
        store: the lake folder or ``uc:CATALOG.SCHEMA`` (default: the
            command's, ``$PROMETHEUS_STORAGE`` or ``./prometheus-lake``).
        since: only applications that started within this long ago (``24h``).
        threads: logs analysed at once (0: one per core).
        databricks: observe the job runs of the workspace the environment names.
        profile, job_ids, concurrency, keep_logs, warehouse_id, staging_volume:
            as the command's options of those names.

    Returns:
        The command's JSON report (logs found, applications appended, ...).
    """
    argv = (["observe", "--format", "json", "--no-progress", "--threads", str(threads)]
            + _repeated("--source", _paths(sources) if sources is not None else None)
            + _single("--databricks", databricks) + _repeated("--job-id", job_ids)
            + _single("--concurrency", concurrency) + _single("--keep-logs", keep_logs)
            + _single("--since", since)
            + _store_options(store, warehouse_id, staging_volume, profile))
    return json.loads(run(argv).stdout)


def recommend(*, store: PathLike | None = None, all: bool = False, threads: int = 0,
              rules: Paths | None = None, disable: Iterable[str] | None = None,
              thresholds: Mapping[str, Any] | None = None, warehouse_id: str | None = None,
              staging_volume: str | None = None, profile: str | None = None) -> dict[str, Any]:
    """Runs the rules on the lake's new applications: ``prometheus recommend --format json``.

    Args:
        store: the lake folder or ``uc:CATALOG.SCHEMA``.
        all: re-evaluate every application, replacing its recommendations.
        threads: logs read at once (0: one per core).
        rules, disable, thresholds: as for ``analyze``.
        warehouse_id, staging_volume, profile: for a ``uc:`` store.

    Returns:
        The command's JSON document (``recommendations`` and more).
    """
    argv = (["recommend", "--format", "json", "--no-progress", "--threads", str(threads)]
            + _single("--all", all) + _rule_options(rules, disable, thresholds)
            + _store_options(store, warehouse_id, staging_volume, profile))
    return json.loads(run(argv).stdout)


def fix(repo: PathLike, *, recommendations: PathLike | None = None,
        store: PathLike | None = None, kinds: Iterable[str] | None = None,
        app: str | None = None, apply: bool = False) -> dict[str, Any]:
    """Carries recommendations' fixes into a repository: ``prometheus fix --format json``.

    Exactly one of ``recommendations`` (a JSON file from ``analyze`` or
    ``recommend``) and ``store`` (a lake) says where the fixes come from.
    Without ``apply`` nothing is written: each file's ``diff`` is in the result.

    Args:
        repo: the repository holding the job's sources.
        recommendations: the JSON file to read.
        store: the lake whose prometheus_recommendations to read.
        kinds: only fixes of these kinds (conf, broadcast_hint, ...).
        app: only the recommendations of this application id.
        apply: write the changed files.

    Returns:
        The command's JSON document (counts, files with their diffs, ...).
    """
    argv = (["fix", "--format", "json", "--repo", os.fspath(repo)]
            + _single("--recommendations", recommendations) + _single("--store", store)
            + _repeated("--kind", kinds) + _single("--app", app)
            + (["--apply"] if apply else []))
    return json.loads(run(argv).stdout)
