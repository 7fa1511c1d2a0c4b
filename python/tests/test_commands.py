"""observe, recommend, fix and `python -m prometheus` against the binary."""

from __future__ import annotations

import hashlib
import json
import pathlib
import re
import subprocess
import sys

import pytest

import prometheus
from conftest import REPO, run_binary

FIX_DEMO = "testdata/fix-demo/recommendations.json"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z")


def python_m(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -I -m MODULE ARGS...` in this venv (-I: the checkout is not on the path)."""
    return subprocess.run([sys.executable, "-I", "-m", module, *args], cwd=REPO,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)


def tree_digest(folder: pathlib.Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_observe_then_recommend_fill_a_lake_as_the_binary_does(binary: str,
                                                               tmp_path: pathlib.Path) -> None:
    ours, theirs = tmp_path / "ours", tmp_path / "theirs"
    observed = prometheus.observe(["testdata/eventlogs"], store=ours)
    expected = json.loads(run_binary(binary, "observe", "--no-progress", "--format", "json",
                                     "--source", "testdata/eventlogs", "--store",
                                     str(theirs)).stdout)
    assert observed["logs_analysed"] == expected["logs_analysed"] == 5
    assert observed["applications_appended"] == expected["applications_appended"] == 5
    again = prometheus.observe("testdata/eventlogs", store=ours)
    assert again["logs_unchanged"] == 5 and again["applications_appended"] == 0

    recommended = prometheus.recommend(store=ours)
    expected = json.loads(run_binary(binary, "recommend", "--format", "json", "--store",
                                     str(theirs)).stdout)
    # Ids and order differ from lake to lake (ids hash the stored run); the findings do not.
    def findings(document: dict) -> list[tuple[str, str, str, str]]:
        return [(r["rule"], r["severity"], r["scope"]["app_id"], r["message"])
                for r in document["recommendations"]]

    assert sorted(findings(recommended)) == sorted(findings(expected))
    assert len(recommended["recommendations"]) > 0
    table = run_binary(binary, "show", "prometheus_recommendations", "--store", str(ours),
                       "--format", "csv")
    assert table.returncode == 0
    assert len(table.stdout.splitlines()) == len(recommended["recommendations"]) + 1


def test_recommend_on_an_empty_store_raises_input_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(prometheus.PrometheusInputError):
        prometheus.recommend(store=tmp_path / "empty")


def test_fix_dry_run_equals_the_binary_and_writes_nothing(binary: str) -> None:
    before = tree_digest(REPO / "testdata" / "pyspark")
    fixed = prometheus.fix("testdata/pyspark", recommendations=FIX_DEMO)
    expected = json.loads(run_binary(binary, "fix", "--format", "json", "--recommendations",
                                     FIX_DEMO, "--repo", "testdata/pyspark").stdout)
    assert fixed == expected
    assert fixed["applied"] is False and fixed["counts"]["applied"] > 0
    assert any(f["diff"].startswith("--- a/") for f in fixed["files"])
    assert tree_digest(REPO / "testdata" / "pyspark") == before


def test_fix_kinds_select_fixes(binary: str) -> None:
    fixed = prometheus.fix("testdata/pyspark", recommendations=FIX_DEMO, kinds=["conf"])
    expected = json.loads(run_binary(binary, "fix", "--format", "json", "--recommendations",
                                     FIX_DEMO, "--repo", "testdata/pyspark", "--kind",
                                     "conf").stdout)
    assert fixed == expected


def test_run_captures_text_output(binary: str) -> None:
    done = prometheus.run(["whatif", "testdata/eventlogs"])
    assert done.exit_code == 0
    assert done.stdout == run_binary(binary, "whatif", "testdata/eventlogs").stdout


@pytest.mark.parametrize("module", ["prometheus", "prometheus.main"])
@pytest.mark.parametrize("args", [
    ["analyze", "--no-progress", "--format", "csv", "testdata/eventlogs"],
    ["analyze", "--no-progress", "--color", "never", "testdata/eventlogs"],
    ["--help"],
    ["--version"],
    ["analyze", "/no/such/eventlog"],
    ["analyze", "--no-such-option", "testdata/eventlogs"],
    ["fix", "--recommendations", FIX_DEMO, "--repo", "testdata/pyspark", "--color", "never"],
])
def test_python_m_runs_the_binarys_command_line(binary: str, module: str,
                                                args: list[str]) -> None:
    ours = python_m(module, *args)
    theirs = run_binary(binary, *args)
    assert ours.returncode == theirs.returncode
    assert TIMESTAMP.sub("<now>", ours.stdout) == TIMESTAMP.sub("<now>", theirs.stdout)
    assert ours.stderr == theirs.stderr
