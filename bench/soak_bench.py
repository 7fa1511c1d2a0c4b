#!/usr/bin/env python3
"""Soak (issue 16): ~10 GB of generated logs through one `observe`, with the
peak RSS against a ~1 GB run's.

One large realistic log is generated with ../shared/bench/gen_eventlog.py
(--log-mb, default 512 MiB), then copied under new app ids: --small copies
(default 2, ~1 GB) and --large copies (default 18, ~10 GB), each observed
into a fresh lake (default threads: one log per core, so both runs hold two
logs at once). Disk: the copies need --large x the log's size under --work
(default a new folder in /tmp), deleted at the end unless --keep.

    python3 bench/soak_bench.py build/prometheus

Prints a table and writes --json (default bench/results/soak.json)."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(REPO, "..", "shared", "bench", "gen_eventlog.py")
BASE_ID = b"app-20200706201101-0003"  # the generator's app id


def copies(base, folder, count):
    """`count` copies of `base` in `folder`, each under its own app id."""
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        app = f"app-20200706201101-{i:04}"
        path = os.path.join(folder, app)
        if os.path.exists(path) and os.path.getsize(path) >= os.path.getsize(base) - 64:
            continue
        with open(base, "rb") as src, open(path, "wb") as out:
            while line := src.readline():
                if b'"App ID":"' + BASE_ID in line:
                    out.write(line.replace(BASE_ID, app.encode()))
                    break
                out.write(line)
            shutil.copyfileobj(src, out, 1 << 20)


def observe(binary, logs, store):
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "observe", "--source", logs, "--store", store,
                             "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"observe {logs} failed:\n{stderr[-2000:]}")
    size = sum(os.path.getsize(os.path.join(logs, f)) for f in os.listdir(logs))
    return {"logs": len(os.listdir(logs)), "gb": size / 1e9, "seconds": seconds,
            "mb_per_s": size / 1e6 / seconds, "peak_rss_mb": usage.ru_maxrss / 1024,
            "cpu_s": usage.ru_utime + usage.ru_stime}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--log-mb", type=int, default=512)
    parser.add_argument("--small", type=int, default=2)
    parser.add_argument("--large", type=int, default=18)
    parser.add_argument("--work", help="folder for the logs and lakes (default: new in /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated logs")
    parser.add_argument("--json", default=os.path.join(REPO, "bench", "results", "soak.json"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = args.work or tempfile.mkdtemp(prefix="soak-", dir="/tmp")
    result = {"log_mb": args.log_mb, "load_average_at_start": os.getloadavg()[0]}
    try:
        base = os.path.join(work, "base.json")
        logs = os.path.join(work, "logs")
        if not os.path.exists(os.path.join(logs, f"app-20200706201101-{args.large - 1:04}")):
            subprocess.run([sys.executable, GENERATOR, "--target-bytes",
                            str(args.log_mb << 20), "--out", base], check=True)
            copies(base, logs, args.large)
            os.remove(base)
        small = os.path.join(work, "small")
        os.makedirs(small, exist_ok=True)
        for i in range(args.small):
            name = f"app-20200706201101-{i:04}"
            if not os.path.exists(os.path.join(small, name)):
                os.link(os.path.join(logs, name), os.path.join(small, name))
        for label, folder in (("small", small), ("large", logs)):
            store = os.path.join(work, f"lake-{label}")
            shutil.rmtree(store, ignore_errors=True)
            result[label] = observe(binary, folder, store)
            print(json.dumps({label: result[label]}), file=sys.stderr)
            shutil.rmtree(store, ignore_errors=True)
        result["peak_rss_ratio"] = result["large"]["peak_rss_mb"] / result["small"]["peak_rss_mb"]
        result["load_average_at_end"] = os.getloadavg()[0]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    with open(args.json, "w") as out:
        json.dump(result, out, indent=2)
    print(f"{'run':>6}{'logs':>6}{'GB':>7}{'s':>8}{'MB/s':>8}{'peak MB':>9}{'cpu s':>8}")
    for label in ("small", "large"):
        r = result[label]
        print(f"{label:>6}{r['logs']:>6}{r['gb']:>7.2f}{r['seconds']:>8.1f}{r['mb_per_s']:>8.0f}"
              f"{r['peak_rss_mb']:>9.0f}{r['cpu_s']:>8.1f}")
    print(f"peak RSS, large / small: {result['peak_rss_ratio']:.2f}")


if __name__ == "__main__":
    main()
