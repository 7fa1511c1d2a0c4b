"""The second Spark line (.venv-spark4) is set up as the first: its pyspark
is the pinned one, delta-spark 4 writes a Delta table from its cached jars
(offline) that deltalake reads, and its static SQL settings are all known
to the settings classifier (as test_settings checks on Spark 3.5)."""
import json
import os
import re
import subprocess

from deltalake import DeltaTable

import run as scenarios
from test_settings import SETTINGS, STATIC

FULL_ONLY = True  # not in --quick
HERE = os.path.dirname(os.path.abspath(__file__))


def spark4(*args):
    python = scenarios.line_spark("spark4")[0]
    done = subprocess.run([python, *args], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def pinned(lock, package):
    with open(os.path.join(scenarios.REPO, lock)) as f:
        [version] = re.findall(rf"^{package}==(\S+)", f.read(), re.M)
    return version


def test_each_line_runs_its_pinned_pyspark():
    assert scenarios.line_spark("spark3")[2] == pinned("requirements-spark.txt", "pyspark")
    assert scenarios.line_spark("spark4")[2] == pinned("requirements-spark4.txt", "pyspark")
    assert spark4("-c", "import delta, importlib.metadata as m; print(m.version('delta-spark'))"
                  ).strip() == pinned("requirements-spark4.txt", "delta-spark")


def test_delta_spark_4_writes_and_deltalake_reads(tmp_path):
    table = str(tmp_path / "table")
    assert spark4(os.path.join(HERE, "delta_write.py"), table).split() == ["1500"]
    delta = DeltaTable(table)
    assert delta.version() == 1
    files = delta.get_add_actions(flatten=True)
    assert sum(files.column("num_records").to_pylist()) == 1500


def test_every_static_sql_setting_of_spark_4_is_listed():
    with open(SETTINGS) as f:
        listed = set(re.findall(r'^\s+"(spark\.sql\.[^"]+)",', f.read(), re.M))
    static = json.loads(spark4("-c", STATIC).strip().splitlines()[-1])
    assert static, "Spark 4 defines no static SQL setting?"
    assert sorted(set(static) - listed) == []
