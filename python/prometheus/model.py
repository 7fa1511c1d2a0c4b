"""What ``prometheus analyze --format json`` reports, as typed Python objects.

The fields are those of the JSON document (docs/KPIS.md and
docs/RECOMMENDATIONS.md describe them); timestamps stay ISO 8601 strings in
UTC, as in the JSON and the CSV. ``Application.from_json`` builds one from the
document's ``applications[]`` entry, and ``to_json`` gives that entry back.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from prometheus import frames


@dataclass(frozen=True)
class Stage:
    """One stage attempt's KPI row: the columns of ``analyze --format csv``."""

    run_id: int | None
    job_id: int | None
    app_id: str
    app_attempt_id: str | None
    stage_id: int
    stage_attempt_id: int
    stage_name: str
    status: str
    num_tasks: int
    num_completed_tasks: int
    num_failed_tasks: int
    num_killed_tasks: int
    num_speculative_tasks: int
    submission_time: str | None
    completion_time: str | None
    duration_ms: int | None
    task_duration_ms_min: int | None
    task_duration_ms_p25: int | None
    task_duration_ms_p50: int | None
    task_duration_ms_p75: int | None
    task_duration_ms_p95: int | None
    task_duration_ms_max: int | None
    max_task_skew_ratio: float | None
    executor_run_time_ms: int
    executor_cpu_time_ms: float
    executor_deserialize_time_ms: int
    jvm_gc_time_ms: int
    result_size_bytes: int
    input_bytes: int
    input_records: int
    output_bytes: int
    output_records: int
    shuffle_read_bytes: int
    shuffle_remote_bytes_read: int
    shuffle_read_records: int
    shuffle_fetch_wait_ms: int
    shuffle_write_bytes: int
    shuffle_write_records: int
    shuffle_write_time_ms: float
    memory_bytes_spilled: int
    disk_bytes_spilled: int
    total_shuffle_spill_mb: float
    peak_execution_memory_max_bytes: int
    broadcast_miss_flag: bool
    collected_at: str

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> Stage:
        """The stage of one ``stages[]`` entry of the JSON document."""
        return cls(**{name: row[name] for name in STAGE_COLUMNS})

    def to_json(self) -> dict[str, Any]:
        """The ``stages[]`` entry this stage was read from."""
        return dataclasses.asdict(self)


STAGE_COLUMNS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Stage))
"""The KPI columns in the order of ``analyze --format csv``."""


@dataclass(frozen=True)
class Recommendation:
    """One finding of the rules, ranked by impact (docs/RECOMMENDATIONS.md)."""

    id: str
    rule: str
    severity: str
    scope: dict[str, Any]
    message: str
    evidence: dict[str, Any]
    impact: dict[str, Any]
    fix: dict[str, Any] | None

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Recommendation:
        """The recommendation of one ``recommendations[]`` entry."""
        return cls(**{f.name: entry.get(f.name) for f in dataclasses.fields(cls)})

    def to_json(self) -> dict[str, Any]:
        """The ``recommendations[]`` entry this was read from."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Application:
    """One application attempt: its summary, jobs, stage KPIs and recommendations.

    Fields the JSON has and this class does not name are kept in ``extra``,
    so ``to_json`` returns the document's entry whole.
    """

    app_id: str
    app_attempt_id: str | None
    app_name: str | None
    user: str | None
    spark_version: str | None
    start_time: str | None
    end_time: str | None
    status: str
    source: dict[str, Any]
    corrupt_lines: int
    summary: dict[str, Any]
    jobs: list[dict[str, Any]]
    stages: list[Stage]
    recommendations: list[Recommendation]
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> Application:
        """The application of one ``applications[]`` entry of the JSON document."""
        named = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        values = {name: entry.get(name) for name in named}
        values["stages"] = [Stage.from_json(row) for row in entry.get("stages", [])]
        values["recommendations"] = [
            Recommendation.from_json(r) for r in entry.get("recommendations", [])
        ]
        extra = {key: value for key, value in entry.items() if key not in named}
        return cls(**values, extra=extra)

    def to_json(self) -> dict[str, Any]:
        """The ``applications[]`` entry this application was read from."""
        entry = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        del entry["extra"]
        entry["stages"] = [stage.to_json() for stage in self.stages]
        entry["recommendations"] = [r.to_json() for r in self.recommendations]
        entry.update(self.extra)
        return entry

    def to_pandas(self) -> Any:
        """This application's stage KPI rows as a pandas DataFrame (needs pandas)."""
        return frames.to_pandas(self.stages, Stage)

    def to_arrow(self) -> Any:
        """This application's stage KPI rows as a pyarrow Table (needs pyarrow)."""
        return frames.to_arrow(self.stages, Stage)


class Analysis(list[Application]):
    """The applications ``analyze`` found, with the run's warnings.

    A list of ``Application``; ``to_pandas``/``to_arrow`` give every
    application's stage rows in one table, as ``analyze --format csv`` does.
    """

    def __init__(self, applications: list[Application], warnings: list[str],
                 corrupt_lines: int) -> None:
        super().__init__(applications)
        self.warnings: list[str] = warnings
        """What the command printed as warnings (unreadable files, ...)."""
        self.corrupt_lines: int = corrupt_lines
        """Lines of the logs that were not JSON, over all applications."""

    def stages(self) -> list[Stage]:
        """Every application's stages, in the order of the CSV."""
        return [stage for app in self for stage in app.stages]

    def to_pandas(self) -> Any:
        """Every stage KPI row as a pandas DataFrame (needs pandas)."""
        return frames.to_pandas(self.stages(), Stage)

    def to_arrow(self) -> Any:
        """Every stage KPI row as a pyarrow Table (needs pyarrow)."""
        return frames.to_arrow(self.stages(), Stage)
