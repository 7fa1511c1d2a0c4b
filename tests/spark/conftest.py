"""Real Spark runs the scenarios (scenarios/run.py, logs cached), Spark's own
History Server reads their logs, and prometheus reads the same logs.

    .venv/bin/python -m pytest tests/spark [--quick] [--prometheus build/prometheus]
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "scenarios"))
import run as scenarios  # noqa: E402
from history_server import HistoryServer  # noqa: E402

# (scenario, codec, rolling). --quick: the missed broadcast and its twin, zstd.
QUICK = [("missed_broadcast", "zstd", False), ("broadcast_join", "zstd", False)]
FULL = ([(s, c, False) for s in scenarios.SCENARIOS for c in ("none", "zstd")]
        + [("missed_broadcast", c, False) for c in ("lz4", "lzf", "snappy")]
        + [("tiny_tasks", "none", True)])


def pytest_addoption(parser):
    parser.addoption("--quick", action="store_true", help="one scenario and its twin, one codec")
    parser.addoption("--prometheus", default=os.path.join(REPO, "build", "prometheus"),
                     help="the prometheus binary")


def selected_cases(config):
    return QUICK if config.getoption("quick") else FULL


def case_id(case):
    scenario, codec, rolling = case
    return f"{scenario}-{codec}{'-rolling' if rolling else ''}"


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        cases = selected_cases(metafunc.config)
        # A test may name the scenarios it is about (test.scenarios = {...}).
        wanted = getattr(metafunc.function, "scenarios", None)
        if wanted is not None:
            cases = [c for c in cases if c[0] in wanted]
        metafunc.parametrize("case", cases, ids=[case_id(c) for c in cases])


@pytest.fixture(scope="session")
def logs(request):
    """Every selected case's log, run one at a time (or taken from the cache)."""
    return {case: scenarios.run(*case) for case in selected_cases(request.config)}


@pytest.fixture(scope="session")
def analyses(request, logs):
    """prometheus analyze --format json of each log: its one application."""
    binary = request.config.getoption("prometheus")
    assert os.access(binary, os.X_OK), f"no prometheus binary at {binary}"
    result = {}
    for case, path in logs.items():
        done = subprocess.run([binary, "analyze", "--format", "json", path],
                              capture_output=True, text=True, check=True)
        document = json.loads(done.stdout)
        assert len(document["applications"]) == 1, path
        assert document["corrupt_lines"] == 0, path
        result[case] = document["applications"][0]
    return result


@pytest.fixture(scope="session")
def history_server(logs, analyses, tmp_path_factory):
    """One History Server over copies of every selected log."""
    folder = tmp_path_factory.mktemp("history-logs")
    for path in logs.values():
        target = folder / os.path.basename(path)
        (shutil.copytree if os.path.isdir(path) else shutil.copy)(path, target)
    server = HistoryServer.start(str(folder), [app["app_id"] for app in analyses.values()])
    yield server
    server.stop()
