#!/usr/bin/env python3
"""The HTML report in a real browser (ctest html_report_browser).

    python3 tools/report_browser_test.py build/prometheus [--screenshots DIR]

Writes five reports and opens each in Debian's Chromium through
web/report_test.mjs (playwright-core; file:// URL, every other request
blocked): `analyze --html` of testdata/eventlogs; `report --store` of a lake
observed from them (with `recommend`); `analyze --html` of the shared log
whose application name is a script (nothing may run); `analyze --html` of
the Databricks Photon log of testdata/photon, given the end it lacks, whose
cost is estimated from its cluster (the cost column, trend and priced
what-if checked); and `report --store` of
a lake of 10,000 runs of 200 jobs, which must stay under 10 MB and be ready
in under 2 s. Prints one line per report; exit 1 when any check fails, 77
(skipped) when Chromium or web/node_modules is missing (tools/install-deps.sh
installs both).
"""
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DRIVER = os.path.join(REPO, "web", "report_test.mjs")
TEMPLATE = os.path.join(REPO, "..", "shared", "eventlogs", "qubole__sparklens", "src", "test",
                        "event-history-test-files", "local-1532512550423")
XSS_LOG = os.path.join(REPO, "..", "shared", "eventlogs", "apache__spark", "core", "src", "test",
                       "resources", "spark-events", "eventlog_v2_local-1766844910796")
BIG_RUNS, BIG_JOBS = 10000, 200
BIG_VERSION = "1"  # change when the generated logs change
TIMES = ("Timestamp", "Submission Time", "Completion Time", "Launch Time", "Finish Time")


def shift(event, offset, stretch):
    """EVENT with every epoch time moved by OFFSET ms, and the time since the
    template's start stretched by STRETCH."""
    if isinstance(event, dict):
        out = {}
        for key, value in event.items():
            if key in TIMES and isinstance(value, int) and value > 10**12:
                out[key] = int(shift.base + (value - shift.base) * stretch) + offset
            else:
                out[key] = shift(value, offset, stretch)
        return out
    if isinstance(event, list):
        return [shift(v, offset, stretch) for v in event]
    return event


def big_lake(prometheus):
    """A lake of BIG_RUNS runs of BIG_JOBS jobs, made once and cached: each run
    the Sparklens test log (8 tasks) under its own id, name and times."""
    cache = os.path.join(REPO, ".cache", f"report-{BIG_RUNS}-runs-v{BIG_VERSION}")
    lake = os.path.join(cache, "lake")
    if os.path.exists(os.path.join(cache, "done")):
        return lake
    shutil.rmtree(cache, ignore_errors=True)
    logs = os.path.join(cache, "logs")
    os.makedirs(logs)
    with open(TEMPLATE) as f:
        events = [json.loads(line) for line in f]
    keep = [e for e in events if e["Event"] not in (
        "SparkListenerEnvironmentUpdate", "SparkListenerTaskStart", "SparkListenerBlockManagerAdded")]
    shift.base = next(e["Timestamp"] for e in keep if e["Event"] == "SparkListenerApplicationStart")
    rng = random.Random(17)
    for run in range(BIG_RUNS):
        job = run % BIG_JOBS
        app_id = f"local-{1700000000000 + run}"
        stretch = 0.5 + rng.random() * (1 + job / BIG_JOBS)
        lines = []
        for event in keep:
            event = shift(copy.deepcopy(event), run * 600_000, stretch)
            if event["Event"] == "SparkListenerApplicationStart":
                event["App ID"], event["App Name"] = app_id, f"nightly-etl-{job:03d}"
            lines.append(json.dumps(event, separators=(",", ":")))
        with open(os.path.join(logs, app_id), "w") as f:
            f.write("\n".join(lines) + "\n")
    subprocess.run([prometheus, "observe", "--source", logs, "--store", lake, "--no-progress"],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(logs)  # the lake is what the report reads
    open(os.path.join(cache, "done"), "w").close()
    return lake


def main():
    prometheus = os.path.abspath(sys.argv[1])
    shots = None
    if "--screenshots" in sys.argv:
        shots = os.path.abspath(sys.argv[sys.argv.index("--screenshots") + 1])
    if not os.access(CHROMIUM, os.X_OK):
        print(f"skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
        sys.exit(77)
    if not os.path.isdir(os.path.join(REPO, "web", "node_modules", "playwright-core")):
        print("skipped: no web/node_modules (tools/install-deps.sh runs npm ci in web/)")
        sys.exit(77)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        def run(*argv):
            subprocess.run([prometheus, *argv], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

        samples = os.path.join(REPO, "testdata", "eventlogs")
        reports = []
        analyzed = os.path.join(tmp, "analyze.html")
        run("analyze", samples, "--html", analyzed, "--core-hour-price", "0.07", "--no-progress")
        # The 2 s limit is the 10,000-run report's; small ones get room for a
        # loaded machine.
        reports.append((analyzed, ["--whatif", "--max-ready-ms", "5000"]))
        lake = os.path.join(tmp, "lake")
        run("observe", "--source", samples, "--store", lake, "--no-progress")
        run("recommend", "--store", lake)
        stored = os.path.join(tmp, "lake.html")
        run("report", "--store", lake, "--out", stored)
        reports.append((stored, ["--whatif", "--max-ready-ms", "5000"]))
        xss = os.path.join(tmp, "script-in-name.html")
        run("analyze", XSS_LOG, "--html", xss, "--no-progress")
        reports.append((xss, ["--whatif", "--max-ready-ms", "5000"]))
        # The Photon log ends without SparkListenerApplicationEnd: without a
        # duration it has no cost. An end 10 ms after its last event.
        photon = os.path.join(tmp, "photon-ended")
        with open(photon, "wb") as f:
            f.write(subprocess.run(["zstdcat", os.path.join(REPO, "testdata", "photon",
                                                            "nds_q88_photon_db_13_3.zstd")],
                                   check=True, capture_output=True).stdout)
            f.write(b'{"Event":"SparkListenerApplicationEnd","Timestamp":1726763613600}\n')
        costed = os.path.join(tmp, "databricks-cost.html")
        run("analyze", photon, "--html", costed, "--no-progress")
        reports.append((costed, ["--whatif", "--cost", "estimated", "--max-ready-ms", "5000"]))
        big = os.path.join(tmp, f"{BIG_RUNS}-runs.html")
        run("report", "--store", big_lake(prometheus), "--out", big)
        size = os.path.getsize(big)
        if size >= 10 << 20:
            print(f"FAIL {big}: {size} bytes, not under 10 MB")
            failed = True
        reports.append((big, ["--max-ready-ms", "2000"]))
        for path, extra in reports:
            argv = ["node", DRIVER, path, *extra]
            if shots:
                argv += ["--screenshots", shots]
            done = subprocess.run(argv, cwd=os.path.join(REPO, "web"), capture_output=True, text=True)
            sys.stdout.write(done.stdout + done.stderr)
            failed |= done.returncode != 0
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
