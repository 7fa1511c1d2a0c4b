#!/usr/bin/env python3
"""The Titan's performance target: `prometheus fix` over a 10,000-line source
tree costs at most 3x a bare tree-sitter parse of the same files.

Builds the tree from testdata/pyspark (copies in subfolders until it holds at
least --lines lines), writes recommendations that send a broadcast hint, a
repartition and a cache fix to every copy plus one settings fix (which looks
at every file for the SparkSession), then times, in interleaved rounds,
`rewrite_parse_baseline DIR` and `prometheus fix --recommendations R --repo
DIR --diff`, both as whole processes. Prints the median ratio and exits 0
(it reports; it does not judge), or 2 on a setup error.

    python3 bench/rewrite_bench.py [--prometheus build/prometheus]
        [--baseline build/bench/rewrite/rewrite_parse_baseline] [--lines 10000] [--runs 5]
"""
import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "testdata" / "pyspark"


def build_tree(target_lines, folder):
    sources = [p for p in sorted(CORPUS.glob("*.py")) if p.name != "broken.py"]
    lines = copies = 0
    while lines < target_lines:
        sub = folder / f"job{copies:03}"
        sub.mkdir()
        for source in sources:
            shutil.copy(source, sub / source.name)
            lines += source.read_text().count("\n")
        copies += 1
    # Three safe fixes per copy: a broadcast hint, a repartition before a
    # skewed aggregation and a cache of a re-read input.
    recommendations = []
    for i in range(copies):
        recommendations += [
            {"id": f"bench{i:03}b", "rule": "missed_broadcast", "severity": "high",
             "fix": {"kind": "broadcast_hint", "table": "dim_country", "path": None, "join_keys": [],
                     "call_site": {"file": f"job{i:03}/daily_orders.py", "line": 33}}},
            {"id": f"bench{i:03}r", "rule": "skew_time", "severity": "high",
             "fix": {"kind": "repartition", "partitions": 64, "key": "customer_id",
                     "call_site": {"file": f"job{i:03}/skewed_aggregation.py", "line": 23}}},
            {"id": f"bench{i:03}c", "rule": "repeated_scan", "severity": "low",
             "fix": {"kind": "cache", "table": None, "path": "s3://finance/ledger/2026",
                     "call_site": {"file": f"job{i:03}/reread_job.py", "line": 31}}},
        ]
    # A settings fix makes `fix` look at every file for the SparkSession.
    recommendations.append({"id": "benchconf", "rule": "aqe_disabled", "severity": "medium",
                            "fix": {"kind": "conf", "key": "spark.sql.adaptive.enabled",
                                    "value": "true"}})
    (folder / "recs.json").write_text(json.dumps({"recommendations": recommendations}))
    return lines, copies


def timed(command):
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"setup error: {' '.join(map(str, command))} exited {result.returncode}: "
                 f"{result.stderr[-400:]}")
    return elapsed, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prometheus", default=ROOT / "build" / "prometheus")
    parser.add_argument("--baseline", default=ROOT / "build" / "bench" / "rewrite" / "rewrite_parse_baseline")
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = pathlib.Path(tmp)
        tree = folder / "tree"
        tree.mkdir()
        lines, copies = build_tree(args.lines, tree)
        recs = folder / "recs.json"
        (tree / "recs.json").rename(recs)
        fix_cmd = [str(args.prometheus), "fix", "--recommendations", str(recs), "--repo", str(tree), "--diff"]
        base_cmd = [str(args.baseline), str(tree)]
        _, first = timed(fix_cmd)
        applied = first.stdout.count("+++ b/")
        summary = first.stderr.strip().splitlines()[-1]
        fix_times, base_times = [], []
        for _ in range(args.runs):
            base_times.append(timed(base_cmd)[0])
            fix_times.append(timed(fix_cmd)[0])
        ratio = statistics.median(fix_times) / statistics.median(base_times)
        print(f"tree: {lines} lines in {copies} copies of the corpus; fix changed {applied} file(s)")
        print(f"  {summary}")
        print(f"bare tree-sitter parse: median {statistics.median(base_times) * 1000:.1f} ms")
        print(f"prometheus fix --diff:  median {statistics.median(fix_times) * 1000:.1f} ms")
        verdict = "PASS" if ratio <= 3 else "MISS"
        print(f"ratio fix / parse: {ratio:.2f} (target <= 3): {verdict}")


if __name__ == "__main__":
    main()
