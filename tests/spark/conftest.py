"""Real Spark runs the scenarios (scenarios/run.py, logs cached) on two Spark
lines, each line's own History Server reads that line's logs, and
prometheus reads the same logs.

    .venv/bin/python -m pytest tests/spark [--quick] [--line spark4] [--scenario NAME]...
        [--prometheus build/prometheus]

The matrix (scenarios/README.md, "The matrix"): every scenario runs live
once per line, in a codec rotated across the scenarios, and tiny_tasks once
more with rolling logs; every one-file log is also re-encoded into every
other codec by that line's own Spark codec classes. So each scenario is
checked in every codec on every line, with one run per line.
"""
import collections
import concurrent.futures
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

# A case is one log: a scenario's, in a codec, on a line; `recoded` when it
# is a copy of the line's live log re-encoded by Spark's codec classes.
# (Indexable too: case[0] is the scenario, case[2] rolling.)
Case = collections.namedtuple("Case", "scenario codec rolling line recoded")
LINES = ("spark3", "spark4")
# The scenario that also runs with rolling logs: its log (15 MiB) is the one
# above Spark's smallest part size (10 MiB), so it really rolls.
ROLLING = {"spark3": ("tiny_tasks", "lz4"), "spark4": ("tiny_tasks", "zstd")}


def live_codec(scenario, line):
    """The codec a scenario runs live in on a line: rotated over the sorted
    scenarios, shifted per line, so each codec is written live by several
    scenarios on each line and a scenario by different codecs on the two."""
    shift = LINES.index(line) * 2
    codecs = scenarios.CODECS
    return codecs[(scenarios.SCENARIOS.index(scenario) + shift) % len(codecs)]


def full_cases(lines):
    cases = []
    for line in lines:
        for scenario in scenarios.SCENARIOS:
            live = live_codec(scenario, line)
            cases += [Case(scenario, codec, False, line, codec != live)
                      for codec in scenarios.CODECS]
        scenario, codec = ROLLING[line]
        cases.append(Case(scenario, codec, True, line, False))
    return cases


# --quick: the missed broadcast and its twin, live on Spark 3.5 (the same
# logs as the full run's, so a quick run fills the full run's cache).
QUICK = [Case(s, live_codec(s, "spark3"), False, "spark3", False)
         for s in ("missed_broadcast", "broadcast_join")]


def pytest_addoption(parser):
    parser.addoption("--quick", action="store_true", help="one scenario and its twin, one codec")
    parser.addoption("--line", action="append", choices=LINES,
                     help="only this Spark line (repeatable); default both")
    parser.addoption("--scenario", action="append",
                     help="only this scenario's cases (repeatable): a day-to-day subset")
    parser.addoption("--prometheus", default=os.path.join(REPO, "build", "prometheus"),
                     help="the prometheus binary")


def selected_cases(config):
    if config.getoption("quick"):
        return QUICK
    cases = full_cases(config.getoption("line") or LINES)
    only = config.getoption("scenario")
    return [c for c in cases if c.scenario in only] if only else cases


def case_id(case):
    return (f"{case.line}-{case.scenario}-{case.codec}"
            + ("-rolling" if case.rolling else "") + ("-recoded" if case.recoded else ""))


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        cases = selected_cases(metafunc.config)
        # A test may name the scenarios it is about (test.scenarios = {...}).
        wanted = getattr(metafunc.function, "scenarios", None)
        if wanted is not None:
            cases = [c for c in cases if c[0] in wanted]
        metafunc.parametrize("case", cases, ids=[case_id(c) for c in cases])


def pytest_collection_modifyitems(config, items):
    """--quick leaves out the modules that say FULL_ONLY. The tests of the
    scenario logs first (their Spark runs are most of the time), one case's
    side by side: its application's UI is then loaded into the History
    Server while it is used; the others after, in their order."""
    if config.getoption("quick"):
        left_out = [i for i in items if getattr(i.module, "FULL_ONLY", False)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [i for i in items if i not in left_out]

    def key(item):
        case = getattr(item, "callspec", None) and item.callspec.params.get("case")
        # A test whose scenarios are all left out (--scenario) has no case.
        return (0, case_id(case)) if isinstance(case, Case) else (1, "")
    items.sort(key=key)


def jobs():
    """Spark jobs run side by side (PROMETHEUS_SPARK_JOBS, default 2: one
    per line)."""
    return max(1, int(os.environ.get("PROMETHEUS_SPARK_JOBS", "2")))


@pytest.fixture(scope="session")
def logs(request):
    """Every selected case's log: live runs (or the cache), then the
    re-encoded copies, one JVM per line. The lines run side by side."""
    cases = selected_cases(request.config)

    def line_logs(line):
        mine = [c for c in cases if c.line == line]
        live = {c: scenarios.run(c.scenario, c.codec, c.rolling, line=line)
                for c in mine if not c.recoded}
        result = dict(live)
        wanted = [c for c in mine if c.recoded]
        if wanted:
            sources = {live[c]: c.codec for c in live if not c.rolling}
            copies = scenarios.recode(line, sources)
            by_scenario = {c.scenario: path for c, path in live.items() if not c.rolling}
            for c in wanted:
                result[c] = copies[(by_scenario[c.scenario], c.codec)]
        return result

    lines = sorted({c.line for c in cases})
    with concurrent.futures.ThreadPoolExecutor(min(jobs(), len(lines))) as pool:
        result = {}
        for part in pool.map(line_logs, lines):
            result.update(part)
    return result


@pytest.fixture(scope="session")
def analyses(request, logs):
    """prometheus analyze --format json of each log: its one application."""
    binary = request.config.getoption("prometheus")
    assert os.access(binary, os.X_OK), f"no prometheus binary at {binary}"

    def analyze(path):
        done = subprocess.run([binary, "analyze", "--format", "json", path],
                              capture_output=True, text=True, check=True)
        document = json.loads(done.stdout)
        assert len(document["applications"]) == 1, path
        assert document["corrupt_lines"] == 0, path
        return document["applications"][0]

    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        return dict(zip(logs, pool.map(analyze, logs.values())))


@pytest.fixture(scope="session")
def history_servers(logs, analyses, tmp_path_factory):
    """One History Server per line, of that line's pyspark, over copies of
    every selected log of that line; started side by side."""
    servers = []
    for line in sorted({c.line for c in logs}):
        folder = tmp_path_factory.mktemp(f"history-logs-{line}")
        ids = []
        for case, path in logs.items():
            if case.line == line:
                target = folder / os.path.basename(path)
                (shutil.copytree if os.path.isdir(path) else shutil.copy)(path, target)
                ids.append(analyses[case]["app_id"])
        servers.append(HistoryServer(scenarios.line_spark(line)[1], str(folder), ids))
    servers = HistoryServer.start_all(servers)
    yield dict(zip(sorted({c.line for c in logs}), servers))
    for server in servers:
        server.stop()


@pytest.fixture
def history_server(case, history_servers):
    """The History Server of the case's line."""
    return history_servers[case.line]


# The run's report: one row per case (a scenario's log in a codec on a line,
# or "-" for the tests of no case), one column per check, written to
# .cache/spark-report/checks.{md,json} (git-ignored) when the run ends.
REPORT = os.path.join(REPO, ".cache", "spark-report")
_outcomes = {}


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        test = report.nodeid.split("::")[-1].split("[")[0]
        case = report.nodeid.split("[", 1)[1].rstrip("]") if "[" in report.nodeid else "-"
        _outcomes[(case, test)] = report.outcome


def pytest_sessionfinish(session, exitstatus):
    if not _outcomes:
        return
    os.makedirs(REPORT, exist_ok=True)
    cases = sorted({c for c, _ in _outcomes})
    checks = sorted({t for _, t in _outcomes})
    rows = [{"case": c, **{t: _outcomes.get((c, t), "") for t in checks}} for c in cases]
    with open(os.path.join(REPORT, "checks.json"), "w") as f:
        json.dump({"exit_status": int(exitstatus), "checks": checks, "rows": rows}, f, indent=1)
    mark = {"passed": "ok", "failed": "FAIL", "skipped": "skip", "": ""}
    lines = ["# Real-Spark checks of the last run", "",
             f"{sum(v == 'passed' for v in _outcomes.values())} passed, "
             f"{sum(v == 'failed' for v in _outcomes.values())} failed, "
             f"{sum(v == 'skipped' for v in _outcomes.values())} skipped. "
             "Fixes and their before/after figures: report.md beside this file.", "",
             "| case | " + " | ".join(checks) + " |", "|---" * (len(checks) + 1) + "|"]
    lines += ["| " + r["case"] + " | " + " | ".join(mark[r[t]] for t in checks) + " |"
              for r in rows]
    with open(os.path.join(REPORT, "checks.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
