#!/usr/bin/env python3
"""Collecting a workspace's event logs: `prometheus observe --databricks`
against a plain databricks-sdk script that downloads the same files one by
one (databricks_sdk_baseline.py), both against the stand-in workspace with
an added latency per request. Prints one JSON document.

    python3 bench/databricks_bench.py [--prometheus build/prometheus] [--runs 200] [--latency-ms 20]
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STANDIN = os.path.join(REPO, "tests", "standins", "databricks_workspace.py")
SDK_PYTHON = os.path.join(REPO, ".venv-databricks", "bin", "python")
TOKEN = "dapi-bench-token"


def timed(command, env=None):
    """(seconds, peak RSS in MiB of the child, stdout)."""
    start = time.monotonic()
    # Each contestant alone in a fresh child, so RUSAGE_CHILDREN's peak is its own.
    wrapper = [sys.executable, "-c",
               "import resource,subprocess,sys;"
               "r=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
               "sys.stderr.write(r.stderr);print(r.returncode);print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
               "print(r.stdout)", *command]
    out = subprocess.run(wrapper, capture_output=True, text=True, env=env, check=True)
    seconds = time.monotonic() - start
    lines = out.stdout.split("\n", 2)
    if lines[0] != "0":
        sys.exit(f"{command[0]} failed: {out.stderr[-2000:]}")
    return seconds, int(lines[1]) / 1024, lines[2]


def standin(root, runs, latency, seed):
    args = [sys.executable, STANDIN, "--root", root, "--token", TOKEN, "--latency-ms", str(latency)]
    if seed:
        args += ["--seed", "--runs", str(runs)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return proc, proc.stdout.readline().strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prometheus", default=os.path.join(REPO, "build", "prometheus"))
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    if not os.access(SDK_PYTHON, os.X_OK):
        sys.exit("no .venv-databricks: run tools/install-deps.sh")
    work = tempfile.mkdtemp(prefix="databricks_bench_")
    results = {"runs": args.runs, "latency_ms": args.latency_ms}
    try:
        for runs, label in ((args.runs // 4, "quarter"), (args.runs, "full")):
            root = os.path.join(work, f"ws-{runs}")
            proc, url = standin(root, runs, args.latency_ms, seed=True)
            try:
                env = {k: v for k, v in os.environ.items() if not k.startswith("DATABRICKS_")}
                env.update({"DATABRICKS_HOST": url, "DATABRICKS_TOKEN": TOKEN})
                store = os.path.join(work, f"lake-{runs}")
                seconds, rss, out = timed([args.prometheus, "observe", "--databricks", "--since", "24h",
                                           "--store", store, "--no-progress", "--format", "json",
                                           "--concurrency", str(args.concurrency)], env)
                summary = json.loads(out)
                results[f"prometheus_{label}"] = {
                    "runs": runs, "seconds": round(seconds, 2), "peak_rss_mib": round(rss, 1),
                    "files": summary["databricks"]["files_downloaded"],
                    "bytes": summary["databricks"]["bytes_downloaded"],
                    "requests": summary["databricks"]["requests"],
                    "applications_stored": summary["applications_appended"]}
                if label == "full":
                    since = int(time.time() * 1000) - 86_400_000
                    out_dir = os.path.join(work, "sdk")
                    seconds, rss, out = timed([SDK_PYTHON, os.path.join(REPO, "bench", "databricks_sdk_baseline.py"),
                                               url, TOKEN, out_dir, str(since)], env)
                    files, size = map(int, out.split())
                    results["sdk_one_by_one"] = {"seconds": round(seconds, 2), "peak_rss_mib": round(rss, 1),
                                                 "files": files, "bytes": size}
            finally:
                proc.kill()
                proc.wait()
        full, sdk = results["prometheus_full"], results["sdk_one_by_one"]
        results["speedup"] = round(sdk["seconds"] / full["seconds"], 2)
        results["same_bytes"] = full["bytes"] == sdk["bytes"]
        results["rss_growth_quarter_to_full"] = round(full["peak_rss_mib"] / results["prometheus_quarter"]["peak_rss_mib"], 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
