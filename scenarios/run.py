#!/usr/bin/env python3
"""Runs a scenario with event logging on and prints where its log is.

    .venv/bin/python scenarios/run.py missed_broadcast --codec zstd
    .venv/bin/python scenarios/run.py tiny_tasks --rolling

Logs are cached under .cache/scenario-logs/spark-<version>/, one folder per
scenario and settings, named with a hash of the scenario's code and of the
settings (and RUNNER_VERSION); a cached log is reused. settings.json beside
it records them.
"""
import argparse
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CACHE = os.path.join(REPO, ".cache", "scenario-logs")
CODECS = ("none", "lz4", "lzf", "snappy", "zstd")
# Part of every cache key: change it when this file changes how logs are made.
RUNNER_VERSION = "1"
SCENARIOS = sorted(f[:-3] for f in os.listdir(HERE)
                   if f.endswith(".py") and not f.startswith("_") and f != "run.py")


def event_log_conf(codec, rolling):
    conf = {"spark.eventLog.enabled": "true",
            "spark.eventLog.compress": "false" if codec == "none" else "true"}
    if codec != "none":
        conf["spark.eventLog.compression.codec"] = codec
    if rolling:
        conf["spark.eventLog.rolling.enabled"] = "true"
        conf["spark.eventLog.rolling.maxFileSize"] = "10m"  # Spark's minimum
    return conf


def cache_dir(scenario, codec, rolling, source=HERE, variant=""):
    digest = hashlib.sha256()
    digest.update(RUNNER_VERSION.encode())
    for name in (scenario + ".py", "_common.py"):
        with open(os.path.join(source, name), "rb") as f:
            digest.update(f.read())
    digest.update(json.dumps(event_log_conf(codec, rolling), sort_keys=True).encode())
    name = f"{scenario}.{variant}" if variant else scenario
    label = f"{name}.{codec}{'.rolling' if rolling else ''}.{digest.hexdigest()[:10]}"
    return os.path.join(CACHE, "spark-" + importlib.metadata.version("pyspark"), label)


def the_log(folder):
    """The one log (a file, or a rolling eventlog_v2_* folder) in `folder`."""
    entries = [e for e in os.listdir(folder) if not e.startswith(".")]
    if len(entries) != 1 or entries[0].endswith(".inprogress"):
        raise RuntimeError(f"expected one finished event log in {folder}, found {entries}")
    return os.path.join(folder, entries[0])


def run(scenario, codec="none", rolling=False, force=False, source=HERE, variant=""):
    """The path of the scenario's log, running the scenario if not cached.

    `source` is the folder holding the scenario's script and its
    _common.py (a fixed copy, say); `variant` names such a copy in the
    cache, so its logs live beside, not over, the original's."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
    if codec not in CODECS:
        raise ValueError(f"unknown codec {codec!r}; known: {', '.join(CODECS)}")
    final = cache_dir(scenario, codec, rolling, source, variant)
    if os.path.exists(os.path.join(final, "settings.json")) and not force:
        return the_log(os.path.join(final, "events"))
    # Logs of this scenario and settings made by older code are stale.
    parent, label = os.path.split(final)
    if os.path.isdir(parent):
        for other in os.listdir(parent):
            if other.rsplit(".", 1)[0] == label.rsplit(".", 1)[0]:
                shutil.rmtree(os.path.join(parent, other), ignore_errors=True)
    work = f"{final}.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    events = os.path.join(work, "events")
    os.makedirs(events)
    conf = event_log_conf(codec, rolling)
    conf["spark.eventLog.dir"] = "file://" + events
    conf["spark.local.dir"] = os.path.join(work, "local")
    conf["spark.ui.showConsoleProgress"] = "false"
    env = dict(os.environ, SCENARIO_WORKDIR=os.path.join(work, "scratch"),
               PYSPARK_SUBMIT_ARGS=" ".join(f"--conf {k}={v}" for k, v in conf.items())
               + " pyspark-shell")
    started = time.monotonic()
    with open(os.path.join(work, "spark.log"), "w") as log:
        done = subprocess.run([sys.executable, os.path.join(source, scenario + ".py")],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        with open(os.path.join(work, "spark.log")) as log:
            tail = log.read()[-3000:]
        raise RuntimeError(f"scenario {scenario} failed ({done.returncode}); its output ends:\n{tail}")
    settings = {"scenario": scenario, "variant": variant, "codec": codec, "rolling": rolling,
                "spark": importlib.metadata.version("pyspark"),
                "python": sys.version.split()[0], "conf": event_log_conf(codec, rolling),
                "seconds": round(time.monotonic() - started, 1)}
    for scratch in ("scratch", "local"):
        shutil.rmtree(os.path.join(work, scratch), ignore_errors=True)
    the_log(events)
    with open(os.path.join(work, "settings.json"), "w") as f:
        json.dump(settings, f, indent=1)
    try:
        os.rename(work, final)
    except OSError:  # another run made it meanwhile: keep that one
        shutil.rmtree(work, ignore_errors=True)
    return the_log(os.path.join(final, "events"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("--codec", choices=CODECS, default="none")
    parser.add_argument("--rolling", action="store_true", help="rolling event logs")
    parser.add_argument("--force", action="store_true", help="run again even if cached")
    args = parser.parse_args()
    print(run(args.scenario, args.codec, args.rolling, args.force))


if __name__ == "__main__":
    main()
