"""Stage KPI rows as pandas DataFrames and pyarrow Tables, when those are installed.

The columns are those of ``prometheus analyze --format csv``, typed as in
docs/KPIS.md: integers may be null (pandas' nullable ``Int64``), timestamps
are UTC with milliseconds.
"""

from __future__ import annotations

import dataclasses
import datetime
import typing
from collections.abc import Sequence
from typing import Any

_TIMESTAMPS = ("submission_time", "completion_time", "collected_at")
_EXTRAS = {"pandas": "pandas", "pyarrow": "arrow"}


def _require(module: str, method: str) -> Any:
    try:
        return __import__(module)
    except ImportError as error:
        raise ImportError(
            f"{method}() needs {module}, which is not installed: pip install {module} "
            f"(or prometheus-lakehouse[{_EXTRAS[module]}])"
        ) from error


def _kinds(row_type: type) -> dict[str, str]:
    """Each field's kind: int, float, bool, str or timestamp."""
    kinds = {}
    for name, hint in typing.get_type_hints(row_type).items():
        base = [t for t in typing.get_args(hint) if t is not type(None)] or [hint]
        kinds[name] = "timestamp" if name in _TIMESTAMPS else base[0].__name__
    return kinds


def _timestamp(text: str | None) -> datetime.datetime | None:
    # The JSON's "2020-07-07T03:11:18.860Z"; fromisoformat reads "Z" from 3.11 on.
    if text is None:
        return None
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _columns(rows: Sequence[Any], row_type: type) -> dict[str, list[Any]]:
    kinds = _kinds(row_type)
    columns = {name: [getattr(row, name) for row in rows] for name in kinds}
    for name in _TIMESTAMPS:
        columns[name] = [_timestamp(value) for value in columns[name]]
    return columns


def to_pandas(rows: Sequence[Any], row_type: type) -> Any:
    """`rows` (dataclasses of `row_type`) as a pandas DataFrame, one row each."""
    pandas = _require("pandas", "to_pandas")
    dtypes = {"int": "Int64", "float": "float64", "bool": "bool", "str": "object",
              "timestamp": "datetime64[ms, UTC]"}
    columns = _columns(rows, row_type)
    data = {name: pandas.Series(columns[name], dtype=dtypes[kind], name=name)
            for name, kind in _kinds(row_type).items()}
    return pandas.DataFrame(data)


def to_arrow(rows: Sequence[Any], row_type: type) -> Any:
    """`rows` (dataclasses of `row_type`) as a pyarrow Table, one row each."""
    pyarrow = _require("pyarrow", "to_arrow")
    types = {"int": pyarrow.int64(), "float": pyarrow.float64(), "bool": pyarrow.bool_(),
             "str": pyarrow.string(), "timestamp": pyarrow.timestamp("ms", tz="UTC")}
    columns = _columns(rows, row_type)
    kinds = _kinds(row_type)
    schema = pyarrow.schema([(name, types[kind]) for name, kind in kinds.items()])
    return pyarrow.table({name: pyarrow.array(columns[name], types[kinds[name]]) for name in kinds},
                         schema=schema)
