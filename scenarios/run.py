#!/usr/bin/env python3
"""Runs a scenario with event logging on and prints where its log is.

    python3 scenarios/run.py missed_broadcast --codec zstd
    python3 scenarios/run.py tiny_tasks --rolling --line spark4

A line is a Spark release line in its own virtual environment (LINES); the
scenario runs with that venv's python, whatever python runs this file.
Logs are cached under .cache/scenario-logs/spark-<version>/, one folder per
scenario and settings, named with a hash of the scenario's code and of the
settings (and RUNNER_VERSION); a cached log is reused. settings.json beside
it records them.
"""
import argparse
import hashlib
import functools
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
RUNNER_VERSION = "2"
# Spark release line -> the venv tools/install-deps.sh makes for it.
LINES = {"spark3": ".venv", "spark4": ".venv-spark4"}
SCENARIOS = sorted(f[:-3] for f in os.listdir(HERE)
                   if f.endswith(".py") and not f.startswith("_") and f != "run.py")


@functools.cache
def line_spark(line):
    """(python, SPARK_HOME, pyspark version) of a line's venv."""
    if line not in LINES:
        raise ValueError(f"unknown Spark line {line!r}; known: {', '.join(LINES)}")
    python = os.path.join(REPO, LINES[line], "bin", "python")
    done = subprocess.run(
        [python, "-c", "import importlib.metadata as m, os, pyspark; "
         "print(os.path.dirname(pyspark.__file__)); print(m.version('pyspark'))"],
        capture_output=True, text=True) if os.access(python, os.X_OK) else None
    if done is None or done.returncode != 0:
        raise RuntimeError(f"no pyspark in {os.path.dirname(os.path.dirname(python))} "
                           f"(line {line}): run tools/install-deps.sh")
    spark_home, version = done.stdout.split()
    return python, spark_home, version


def event_log_conf(codec, rolling):
    # Every setting is explicit: Spark 4 compresses (zstd) and rolls event
    # logs by default, Spark 3.5 does neither.
    conf = {"spark.eventLog.enabled": "true",
            "spark.eventLog.compress": "false" if codec == "none" else "true",
            "spark.eventLog.rolling.enabled": "true" if rolling else "false"}
    if codec != "none":
        conf["spark.eventLog.compression.codec"] = codec
    if rolling:
        conf["spark.eventLog.rolling.maxFileSize"] = "10m"  # Spark's minimum
    return conf


def cache_dir(scenario, codec, rolling, source=HERE, variant="", line="spark3"):
    digest = hashlib.sha256()
    digest.update(RUNNER_VERSION.encode())
    for name in (scenario + ".py", "_common.py"):
        with open(os.path.join(source, name), "rb") as f:
            digest.update(f.read())
    digest.update(json.dumps(event_log_conf(codec, rolling), sort_keys=True).encode())
    name = f"{scenario}.{variant}" if variant else scenario
    label = f"{name}.{codec}{'.rolling' if rolling else ''}.{digest.hexdigest()[:10]}"
    return os.path.join(CACHE, "spark-" + line_spark(line)[2], label)


def the_log(folder):
    """The one log (a file, or a rolling eventlog_v2_* folder) in `folder`."""
    entries = [e for e in os.listdir(folder) if not e.startswith(".")]
    if len(entries) != 1 or entries[0].endswith(".inprogress"):
        raise RuntimeError(f"expected one finished event log in {folder}, found {entries}")
    return os.path.join(folder, entries[0])


def run(scenario, codec="none", rolling=False, force=False, source=HERE, variant="",
        line="spark3"):
    """The path of the scenario's log, running the scenario if not cached.

    `source` is the folder holding the scenario's script and its
    _common.py (a fixed copy, say); `variant` names such a copy in the
    cache, so its logs live beside, not over, the original's."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; known: {', '.join(SCENARIOS)}")
    if codec not in CODECS:
        raise ValueError(f"unknown codec {codec!r}; known: {', '.join(CODECS)}")
    python, _, version = line_spark(line)
    final = cache_dir(scenario, codec, rolling, source, variant, line)
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
        done = subprocess.run([python, os.path.join(source, scenario + ".py")],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        with open(os.path.join(work, "spark.log")) as log:
            tail = log.read()[-3000:]
        raise RuntimeError(f"scenario {scenario} failed on Spark {version} ({done.returncode}); "
                           f"its output ends:\n{tail}")
    settings = {"scenario": scenario, "variant": variant, "codec": codec, "rolling": rolling,
                "line": line, "spark": version,
                "python": subprocess.run([python, "-V"], capture_output=True,
                                         text=True).stdout.split()[-1],
                "conf": event_log_conf(codec, rolling),
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


# Part of the re-encoded copies' folder name: change it when _recode.py or
# recode() changes how they are made.
RECODE_VERSION = "1"


def log_app_id(path):
    """The application id in a one-file log's name (Spark names it
    `<app id>` or `<app id>.<codec>` in local mode)."""
    name = os.path.basename(path)
    stem, _, extension = name.rpartition(".")
    return stem if extension in CODECS else name


def recoded_path(log, codec):
    """Where `log`'s copy in `codec` goes: named as Spark names a log of an
    application whose id is the original's plus `-<codec>`."""
    app_id = f"{log_app_id(log)}-{codec}"
    folder = os.path.join(os.path.dirname(os.path.dirname(log)), f"recoded-{RECODE_VERSION}")
    return os.path.join(folder, app_id if codec == "none" else f"{app_id}.{codec}")


def recode(line, logs):
    """Copies of one-file logs in every other codec: {(log, codec): path}.

    `logs` maps a log made on `line` to the codec it was written in. The
    copies are made by Spark's own codecs in ONE JVM of that line
    (_recode.py) and cached beside the log (recoded-<RECODE_VERSION>/)."""
    result, jobs, pending = {}, [], []
    for log, written in logs.items():
        targets = [c for c in CODECS if c != written]
        result.update({(log, c): recoded_path(log, c) for c in targets})
        folder = os.path.dirname(recoded_path(log, targets[0]))
        if os.path.exists(os.path.join(folder, "done")):
            continue
        work = f"{folder}.tmp-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        pending.append((work, folder))
        jobs.append({"source": log, "codec": written, "app_id": log_app_id(log),
                     "targets": [{"codec": c, "app_id": log_app_id(recoded_path(log, c)),
                                  "path": os.path.join(work, os.path.basename(
                                      recoded_path(log, c)))} for c in targets]})
    if not jobs:
        return result
    python = line_spark(line)[0]
    done = subprocess.run([python, os.path.join(HERE, "_recode.py")], input=json.dumps(jobs),
                          capture_output=True, text=True)
    if done.returncode != 0:
        for work, _ in pending:
            shutil.rmtree(work, ignore_errors=True)
        raise RuntimeError(f"re-encoding on {line} failed ({done.returncode}):\n"
                           + done.stderr[-3000:])
    for work, folder in pending:
        with open(os.path.join(work, "done"), "w") as f:
            f.write(line_spark(line)[2] + "\n")
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(work, folder)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=SCENARIOS)
    parser.add_argument("--codec", choices=CODECS, default="none")
    parser.add_argument("--rolling", action="store_true", help="rolling event logs")
    parser.add_argument("--line", choices=sorted(LINES), default="spark3",
                        help="the Spark line (venv) to run it on")
    parser.add_argument("--force", action="store_true", help="run again even if cached")
    args = parser.parse_args()
    print(run(args.scenario, args.codec, args.rolling, args.force, line=args.line))


if __name__ == "__main__":
    main()
