"""prometheus.analyze against `prometheus analyze --format json` of the binary."""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import pytest

import prometheus
from conftest import LOG_ROOTS, REPO, SHARED_LOGS, run_binary


def without_collected_at(applications: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries with each stage's collected_at (the time of the run) left out."""
    for app in applications:
        for stage in app["stages"]:
            stage.pop("collected_at")
    return applications


def test_the_package_is_the_installed_one_not_the_source_tree() -> None:
    assert prometheus.__file__.startswith(sys.prefix), prometheus.__file__
    assert not prometheus.__file__.startswith(str(REPO / "python"))


@pytest.mark.parametrize("root", sorted(LOG_ROOTS))
def test_analyze_equals_the_binarys_json(binary: str, root: str) -> None:
    expected = json.loads(run_binary(binary, "analyze", "--format", "json", "--no-progress",
                                     LOG_ROOTS[root]).stdout)
    analysis = prometheus.analyze(LOG_ROOTS[root], threads=2)
    assert len(analysis) == len(expected["applications"]) > 0
    assert without_collected_at([app.to_json() for app in analysis]) == \
        without_collected_at(expected["applications"])
    assert analysis.warnings == expected["warnings"]
    assert analysis.corrupt_lines == expected["corrupt_lines"]


def test_analyze_gives_typed_objects() -> None:
    analysis = prometheus.analyze(["testdata/eventlogs"])
    app = next(a for a in analysis if a.app_id == "app-20200706201101-0003")
    assert isinstance(app, prometheus.Application)
    assert app.app_name == "Spark shell"
    assert [stage.stage_id for stage in app.stages] == [0, 1, 2]
    assert all(isinstance(stage, prometheus.Stage) for stage in app.stages)
    assert app.stages[0].num_tasks == 16
    rules = {r.rule for r in app.recommendations}
    assert "idle_cores" in rules
    assert all(isinstance(r, prometheus.Recommendation) for r in app.recommendations)


def test_rule_options_reach_the_command(binary: str) -> None:
    args = ["--disable", "idle_cores", "--threshold", "skew_time.skew_low=3"]
    expected = json.loads(run_binary(binary, "analyze", "--format", "json", "--no-progress",
                                     *args, "testdata/eventlogs").stdout)
    analysis = prometheus.analyze("testdata/eventlogs", disable=["idle_cores"],
                                  thresholds={"skew_time.skew_low": 3})
    assert without_collected_at([a.to_json() for a in analysis]) == \
        without_collected_at(expected["applications"])
    assert not any(r.rule == "idle_cores" for a in analysis for r in a.recommendations)
    assert any(r.rule == "idle_cores"
               for a in prometheus.analyze("testdata/eventlogs") for r in a.recommendations)


def test_a_missing_path_raises_the_commands_error(binary: str) -> None:
    expected = run_binary(binary, "analyze", "--no-progress", "/no/such/eventlog")
    with pytest.raises(prometheus.PrometheusInputError) as raised:
        prometheus.analyze("/no/such/eventlog")
    assert raised.value.exit_code == expected.returncode == 2
    assert "prometheus: " + str(raised.value) + "\n" == expected.stderr
    assert "/no/such/eventlog" in str(raised.value)


def test_a_bad_threshold_raises_with_its_message() -> None:
    with pytest.raises(prometheus.PrometheusInputError) as raised:
        prometheus.analyze("testdata/eventlogs", thresholds={"skew_time.skew_low": "abc"})
    assert str(raised.value) == \
        '--threshold skew_time.skew_low=abc: expected a number after \'=\', found "abc"'


def test_an_unknown_rules_threshold_is_a_warning_of_the_analysis() -> None:
    analysis = prometheus.analyze("testdata/eventlogs", thresholds={"no_such_rule.x": 1})
    assert analysis.warnings == ["--threshold no_such_rule: no rule no_such_rule"]


def test_an_unwritable_store_raises_a_failure_with_exit_code_1(binary: str) -> None:
    expected = run_binary(binary, "observe", "--no-progress", "--source", "testdata/eventlogs",
                          "--store", "/dev/null/lake")
    with pytest.raises(prometheus.PrometheusFailure) as raised:
        prometheus.observe("testdata/eventlogs", store="/dev/null/lake")
    assert raised.value.exit_code == expected.returncode == 1
    assert isinstance(raised.value, prometheus.PrometheusError)
    assert "prometheus: " + str(raised.value) + "\n" == expected.stderr


@pytest.fixture(scope="module")
def large_log(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A generated log of about 150 MB (../shared/bench/gen_eventlog.py)."""
    generator = SHARED_LOGS.parent / "bench" / "gen_eventlog.py"
    out = tmp_path_factory.mktemp("large") / "eventlog"
    import subprocess
    subprocess.run([sys.executable, str(generator), "--target-bytes", "150000000", "--seed", "7",
                    "--out", str(out)], check=True, capture_output=True, timeout=600)
    return str(out)


def test_the_gil_is_released_while_analyze_runs(large_log: str) -> None:
    """A Python thread keeps running while another analyses: the longest pause
    between its steps is far shorter than the analysis."""
    took: list[float] = []

    def analyze() -> None:
        start = time.perf_counter()
        for _ in range(3):
            prometheus.analyze(large_log, threads=1)
        took.append(time.perf_counter() - start)

    worker = threading.Thread(target=analyze)
    steps = 0
    longest_pause = 0.0
    last = time.perf_counter()
    worker.start()
    while worker.is_alive():
        now = time.perf_counter()
        longest_pause = max(longest_pause, now - last)
        last = now
        steps += 1
    worker.join()
    assert took[0] > 0.2, f"the analysis took {took[0]:.3f} s: too short to tell"
    assert longest_pause < took[0] / 4, (longest_pause, took[0])
    assert steps > 1000


def test_commands_from_two_threads_run_one_at_a_time_and_both_succeed(binary: str) -> None:
    results: list[int] = []

    def analyze() -> None:
        results.append(len(prometheus.analyze(str(SHARED_LOGS), threads=1)))

    threads = [threading.Thread(target=analyze) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = json.loads(run_binary(binary, "analyze", "--format", "json", "--no-progress",
                                     str(SHARED_LOGS)).stdout)
    assert results == [len(expected["applications"])] * 2
