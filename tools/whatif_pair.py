#!/usr/bin/env python3
"""Validates `prometheus whatif` on one real job run at two cluster sizes.

    python3 tools/whatif_pair.py build/prometheus aqe_disabled local[1] local[2]
    python3 tools/whatif_pair.py build/prometheus aqe_disabled \
        local-cluster[1,1,1024] local-cluster[2,1,1024] --repeat 2

Runs scenarios/SCENARIO.py (Spark 3.5 in .venv) --repeat times (default 1)
per master with event logging, caches each log under .cache/whatif-pairs/,
then estimates each run's wall time from every run of the other size
(`whatif --format json`) and prints the real and estimated wall times and
the errors. With two runs or more of a size it also prints the run-to-run
noise: the same job at the same size, one run's wall (and task) time against
the other's. Exit 1 when a run fails.
"""
import json
import os
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.path.join(REPO, ".cache", "whatif-pairs")


def run_scenario(scenario, master, repeat=0):
    """The event log of SCENARIO at MASTER (its REPEAT-th run), running it
    unless cached."""
    name = master.replace('[', '-').replace(']', '').replace(',', '-')
    folder = os.path.join(CACHE, f"{scenario}.{name}" + (f".r{repeat}" if repeat else ""))
    events = os.path.join(folder, "events")
    if os.path.isdir(events) and os.listdir(events):
        return os.path.join(events, os.listdir(events)[0])
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(events)
    conf = {"spark.eventLog.enabled": "true", "spark.eventLog.compress": "false",
            "spark.eventLog.rolling.enabled": "false", "spark.eventLog.dir": "file://" + events,
            "spark.local.dir": os.path.join(folder, "local"),
            "spark.ui.showConsoleProgress": "false"}
    env = dict(os.environ, SCENARIO_MASTER=master, SCENARIO_WORKDIR=os.path.join(folder, "scratch"),
               PYSPARK_SUBMIT_ARGS=" ".join(f"--conf {k}={v}" for k, v in conf.items())
               + " pyspark-shell")
    started = time.monotonic()
    with open(os.path.join(folder, "spark.log"), "w") as log:
        done = subprocess.run([os.path.join(REPO, ".venv", "bin", "python"),
                               os.path.join(REPO, "scenarios", scenario + ".py")],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        shutil.rmtree(events, ignore_errors=True)
        sys.exit(f"{scenario} at {master} failed; see {folder}/spark.log")
    for scratch in ("scratch", "local"):
        shutil.rmtree(os.path.join(folder, scratch), ignore_errors=True)
    print(f"ran {scenario} at {master} in {time.monotonic() - started:.1f} s", file=sys.stderr)
    return os.path.join(events, os.listdir(events)[0])


def sizing(prometheus, log, executors):
    """whatif's JSON for LOG, its curve in executors of one core."""
    done = subprocess.run([prometheus, "whatif", "--format", "json", "--max-executors",
                           str(executors), "--cores-per-executor", "1", log],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["applications"][0]


def relative_gap(values):
    """(largest - smallest) / smallest: how far apart runs of one size are."""
    return (max(values) - min(values)) / min(values)


def main():
    argv = sys.argv[1:]
    repeats = 1
    if "--repeat" in argv:
        at = argv.index("--repeat")
        repeats = int(argv[at + 1])
        del argv[at:at + 2]
    prometheus, scenario, *masters = argv
    runs = [(m, r) for m in masters for r in range(repeats)]
    logs = {run: run_scenario(scenario, *run) for run in runs}
    apps = {run: sizing(prometheus, log, 16) for run, log in logs.items()}
    rows = []
    for source in runs:
        for target in runs:
            if source[0] == target[0]:
                continue
            # The curve is in one-core executors: the target's cores.
            cores = apps[target]["observed"]["executors"] * apps[target]["observed"]["cores_per_executor"]
            point = next(p for p in apps[source]["curve"] if p["executors"] == cores)
            real = apps[target]["wall_ms"]
            rows.append({"from": f"{source[0]}#{source[1]}", "to": f"{target[0]}#{target[1]}",
                         "estimated_ms": point["wall_ms"],
                         "real_ms": real, "error": (point["wall_ms"] - real) / real,
                         "model_at_source_error": apps[source]["model_error"],
                         # What the model assumes constant, as the two runs had it.
                         "task_ms_ratio": apps[target]["task_ms"] / apps[source]["task_ms"],
                         "driver_ms_ratio": apps[target]["driver_ms"] / apps[source]["driver_ms"]})
    noise = {}
    for master in masters:
        same = [apps[(master, r)] for r in range(repeats)]
        if len(same) >= 2:
            noise[master] = {"wall_gap": relative_gap([a["wall_ms"] for a in same]),
                             "task_gap": relative_gap([a["task_ms"] for a in same])}
    errors = sorted(abs(r["error"]) for r in rows)
    print(json.dumps({"scenario": scenario,
                      "runs": {f"{m}#{r}": {"wall_ms": a["wall_ms"], "driver_ms": a["driver_ms"],
                                            "task_ms": a["task_ms"], "tasks": a["tasks"],
                                            "observed": a["observed"]}
                               for (m, r), a in apps.items()},
                      "estimates": rows,
                      "largest_error": errors[-1] if errors else None,
                      "noise": noise}, indent=1))


if __name__ == "__main__":
    main()
