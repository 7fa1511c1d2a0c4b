"""to_pandas and to_arrow: the stage rows of `analyze --format csv`."""

from __future__ import annotations

import csv
import datetime
import io
import math
import sys

import pytest

import prometheus
from conftest import LOG_ROOTS, run_binary


def binary_csv(binary: str, root: str) -> list[dict[str, str]]:
    done = run_binary(binary, "analyze", "--format", "csv", "--no-progress", LOG_ROOTS[root])
    return list(csv.DictReader(io.StringIO(done.stdout)))


def same(value: object, text: str) -> bool:
    """`value` from a frame against the CSV's text of it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or \
            type(value).__name__ in ("NAType", "NaTType"):
        return text == ""
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return str(bool(value)).lower() == text
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z" == text
    if isinstance(value, float):
        return math.isclose(value, float(text), rel_tol=1e-12)
    return str(value) == text


@pytest.mark.parametrize("root", ["shared", "testdata"])
def test_to_pandas_has_the_csvs_columns_and_values(binary: str, root: str) -> None:
    pandas = pytest.importorskip("pandas")
    rows = binary_csv(binary, root)
    frame = prometheus.analyze(LOG_ROOTS[root]).to_pandas()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == list(rows[0].keys()) == list(prometheus.STAGE_COLUMNS)
    assert len(frame) == len(rows)
    assert str(frame["num_tasks"].dtype) == "Int64"
    assert str(frame["submission_time"].dtype) == "datetime64[ms, UTC]"
    for record, row in zip(frame.to_dict("records"), rows):
        for name in prometheus.STAGE_COLUMNS:
            if name == "collected_at":
                continue
            value = record[name]
            if hasattr(value, "to_pydatetime"):
                value = value.to_pydatetime()
            assert same(value, row[name]), (name, value, row[name])


@pytest.mark.parametrize("root", ["shared", "testdata"])
def test_to_arrow_has_the_csvs_columns_and_values(binary: str, root: str) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    rows = binary_csv(binary, root)
    table = prometheus.analyze(LOG_ROOTS[root]).to_arrow()
    assert isinstance(table, pyarrow.Table)
    assert table.column_names == list(rows[0].keys())
    assert table.num_rows == len(rows)
    assert table.schema.field("stage_id").type == pyarrow.int64()
    assert table.schema.field("completion_time").type == pyarrow.timestamp("ms", tz="UTC")
    for record, row in zip(table.to_pylist(), rows):
        for name in prometheus.STAGE_COLUMNS:
            if name != "collected_at":
                assert same(record[name], row[name]), (name, record[name], row[name])


def test_one_applications_frame_holds_its_own_stages() -> None:
    pytest.importorskip("pandas")
    analysis = prometheus.analyze(LOG_ROOTS["testdata"])
    app = analysis[0]
    frame = app.to_pandas()
    assert len(frame) == len(app.stages)
    assert set(frame["app_id"]) == {app.app_id}


@pytest.mark.parametrize("method,module", [("to_pandas", "pandas"), ("to_arrow", "pyarrow")])
def test_without_the_package_the_error_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, method: str, module: str) -> None:
    analysis = prometheus.analyze(LOG_ROOTS["testdata"])
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=f"{method}\\(\\) needs {module}.*pip install {module}"):
        getattr(analysis, method)()
