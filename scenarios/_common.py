"""What every scenario shares: a small local session and a scratch folder.

The runner (run.py) adds event logging through PYSPARK_SUBMIT_ARGS; run
alone, a scenario still works (python scenarios/NAME.py) without a log.
"""
import os
import tempfile

from pyspark.sql import SparkSession


def session(name, **conf):
    """A local[2] session with small memory; `conf` holds the scenario's own
    Spark settings, full names as keys."""
    builder = (SparkSession.builder.master(os.environ.get("SCENARIO_MASTER", "local[2]"))
               .appName(name)
               .config("spark.driver.memory", "1g")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    for key, value in conf.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def scratch(name):
    """A folder for the scenario's own tables, under SCENARIO_WORKDIR."""
    root = os.environ.get("SCENARIO_WORKDIR") or tempfile.mkdtemp(prefix="scenario-")
    path = os.path.join(root, name)
    os.makedirs(path, exist_ok=True)
    return path
