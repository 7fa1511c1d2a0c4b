#!/usr/bin/env python3
"""Runs the libFuzzer targets built by `make fuzz` on seed corpora and
reports what they found.

    python3 tools/fuzz.py --build build-fuzz --seconds 60 [--target codec]...

Seeds come from the real inputs of each target: the event logs of
../shared/eventlogs and testdata (plain, and in every codec for `codec`,
whose first byte picks the codec), rules/*.toml, the Parquet and Delta log
files under testdata/delta, the notebooks, and the SQL of scenarios/sql.
Each corpus lives in <build>/corpus/<target>/ and grows across runs. A
crash, leak, timeout or out-of-memory input is saved as
<build>/crashes/<target>-<kind>-<sha1>; keep it in testdata/fuzz/<target>/
(fuzz_regression_test.cc replays that folder in the unit suite) once fixed.
The summary gives each target's runs, CPU seconds and findings.
"""
import argparse
import glob
import gzip
import hashlib
import os
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "eventlogs")
TARGETS = ("codec", "line_reader", "event_log", "rule_file", "parquet", "delta_log",
           "ipynb_json", "sql_tokens")
# The codec target's first byte: io::Codec's order.
CODEC_BYTE = {"none": 0, "lz4": 1, "lzf": 2, "snappy": 3, "zstd": 4, "gz": 5}
MAX_SEED = 64 * 1024  # seeds are cut to this: libFuzzer mutates small inputs best


def files(*patterns):
    out = []
    for pattern in patterns:
        out += [p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p)]
    return sorted(set(out))


def plain_logs():
    """Uncompressed event logs: files whose first line is a listener event."""
    out = []
    for path in files(os.path.join(SHARED, "**", "*"), os.path.join(ROOT, "testdata", "eventlogs", "**", "*")):
        if "Expectations" in path or os.path.getsize(path) == 0:
            continue
        with open(path, "rb") as f:
            head = f.read(64)
        if head.startswith(b'{"Event":'):
            out.append(path)
    return out


def compressed_logs():
    out = []
    for path in files(os.path.join(SHARED, "**", "*"), os.path.join(ROOT, "testdata", "**", "*")):
        suffix = path.rsplit(".", 1)[-1]
        suffix = {"zst": "zstd"}.get(suffix, suffix)
        if suffix in CODEC_BYTE and suffix != "none" and "Expectations" not in path:
            out.append((path, suffix))
    return out


def seeds(target):
    """(name, bytes) of the target's seed inputs."""
    if target in ("event_log", "line_reader"):
        for path in plain_logs():
            with open(path, "rb") as f:
                yield os.path.basename(path), f.read(MAX_SEED)
    elif target == "codec":
        for path, codec in compressed_logs():
            with open(path, "rb") as f:
                yield os.path.basename(path), bytes([CODEC_BYTE[codec]]) + f.read(MAX_SEED)
        for path in plain_logs()[:20]:
            with open(path, "rb") as f:
                data = f.read(MAX_SEED)
            yield os.path.basename(path) + ".none", bytes([0]) + data
            yield os.path.basename(path) + ".gz", bytes([5]) + gzip.compress(data)
    elif target == "rule_file":
        for path in files(os.path.join(ROOT, "rules", "*.toml"), os.path.join(ROOT, "testdata", "**", "*.toml")):
            with open(path, "rb") as f:
                yield os.path.basename(path), f.read()
    elif target == "parquet":
        for path in files(os.path.join(ROOT, "testdata", "**", "*.parquet")):
            with open(path, "rb") as f:
                yield os.path.basename(path), f.read(4 * MAX_SEED)
    elif target == "delta_log":
        for path in files(os.path.join(ROOT, "testdata", "**", "_delta_log", "*.json")):
            with open(path, "rb") as f:
                yield os.path.basename(path), f.read(MAX_SEED)
    elif target == "ipynb_json":
        for path in files(os.path.join(ROOT, "testdata", "**", "*.ipynb"), os.path.join(ROOT, "scenarios", "**", "*.ipynb")):
            with open(path, "rb") as f:
                yield os.path.basename(path), f.read(MAX_SEED)
    elif target == "sql_tokens":
        for path in files(os.path.join(ROOT, "scenarios", "sql", "*.sql"), os.path.join(ROOT, "testdata", "**", "*.sql")):
            with open(path, "rb") as f:
                yield os.path.basename(path), f.read()
        yield "strings.sql", b"SELECT /*+ BROADCAST(d) */ 'it''s', \"x\", `y` FROM a JOIN d ON a.k = d.k -- c\n"


def fill_corpus(target, corpus):
    os.makedirs(corpus, exist_ok=True)
    count = 0
    for name, data in seeds(target):
        digest = hashlib.sha1(data).hexdigest()[:16]
        path = os.path.join(corpus, f"seed-{digest}")
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(data)
        count += 1
    return count


def cpu_seconds():
    """CPU time of the finished children: on a shared machine a target's
    wall time overstates the fuzzing it did."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(build, target, seconds):
    binary = os.path.join(build, f"fuzz_{target}")
    corpus = os.path.join(build, "corpus", target)
    crashes = os.path.join(build, "crashes")
    os.makedirs(crashes, exist_ok=True)
    seeded = fill_corpus(target, corpus)
    before = set(os.listdir(crashes))
    wall = time.time()
    cpu_before = cpu_seconds()
    done = subprocess.run(
        [binary, corpus, f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=4096",
         f"-max_len={4 * MAX_SEED}", f"-artifact_prefix={crashes}/{target}-", "-print_final_stats=1"],
        capture_output=True, text=True,
        env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
                 UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"))
    # Only this target's: another fuzz.py may share the folder.
    found = sorted(name for name in set(os.listdir(crashes)) - before if name.startswith(f"{target}-"))
    runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
    return {"target": target, "seeds": seeded, "runs": int(runs.group(1)) if runs else 0,
            "seconds": round(time.time() - wall, 1),
            "cpu_seconds": round(cpu_seconds() - cpu_before, 1), "corpus": len(os.listdir(corpus)),
            "found": found, "exit": done.returncode,
            "tail": done.stderr[-3000:] if found or done.returncode not in (0,) else ""}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build-fuzz"))
    parser.add_argument("--seconds", type=int, default=60, help="per target")
    parser.add_argument("--target", action="append", choices=TARGETS)
    args = parser.parse_args()
    results = []
    for target in args.target or TARGETS:
        result = run(args.build, target, args.seconds)
        results.append(result)
        print(f"{target:12} {result['runs']:>10,} runs in {result['seconds']:>6} s "
              f"({result['cpu_seconds']} CPU s), "
              f"corpus {result['corpus']:>5} ({result['seeds']} seeds), "
              f"found {len(result['found'])}", flush=True)
        for name in result["found"]:
            print(f"  {os.path.join(args.build, 'crashes', name)}")
        if result["tail"]:
            print("  " + result["tail"].replace("\n", "\n  "))
    total = sum(r["cpu_seconds"] for r in results)
    print(f"{len(results)} targets, {total / 3600:.2f} CPU-hours, "
          f"{sum(len(r['found']) for r in results)} finding(s)")
    return 1 if any(r["found"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
