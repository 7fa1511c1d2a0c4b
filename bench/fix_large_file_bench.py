#!/usr/bin/env python3
"""`prometheus fix` on one large Python file: wall time and peak memory.

Generates (seeded, deterministic) a PySpark job of about --mb megabytes: the
job itself at the top (a SparkSession, a join of dim_country, a skewed
aggregation, a ledger read three times) followed by plain helper functions,
and an unrelated plain-Python file of the same size. Then runs, each --runs
times under /usr/bin/time -v, and prints the median wall time and the largest
peak RSS of:

  one_fix      the settings fix on the large job
  four_fixes   settings, broadcast hint, repartition and cache on the large job
  unrelated    the settings fix on a small job beside the large unrelated file

Exits 0 once it has measured, 2 on a setup error (a run that fails).

    python3 bench/fix_large_file_bench.py [--prometheus build/prometheus]
        [--mb 10] [--runs 3] [--json results.json]
"""
import argparse
import json
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent

JOB = '''"""Daily revenue per country, customer spend and the ledger check."""
import pyspark.sql.functions as F
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("big_job").getOrCreate()

orders = spark.read.parquet("s3://lake/raw/orders")
countries = spark.table("dim_country")
joined = orders.alias("o").join(
    countries.alias("c"), on=F.col("o.country_id") == F.col("c.country_id"), how="left")
joined.groupBy("c.name").agg(F.sum("revenue").alias("revenue")).show()

events = spark.read.format("delta").load("s3://lake/bronze/purchase_events")
spend = (
    events
    .groupBy("customer_id", "currency")
    .agg(F.sum("amount").alias("amount"))
)
spend.show()

ledger = spark.read.parquet("s3://finance/ledger/2026")
balances = ledger.groupBy("account_id").agg(F.sum("amount").alias("balance"))
by_day = ledger.groupBy(F.to_date("posted_at").alias("day")).count()
balances.show()
by_day.show(31)
'''

# Call sites, 1-based lines of JOB.
JOIN_LINE = 9
GROUP_BY_LINE = 15
LEDGER_ACTION_LINE = 25

HELPER = '''

def helper_{i}(rows, factor={i}):
    """Scales the rows of batch {i}."""
    total = 0
    for row in rows:
        if row.get("value", 0) > factor:
            total += row["value"] * factor  # weighted
        else:
            total -= {m} % 7
    return {{"id": {i}, "total": total, "name": "helper_{i}"}}
'''


def filler(target_bytes):
    parts, size, i = [], 0, 0
    while size < target_bytes:
        part = HELPER.format(i=i, m=i * 7919 % 1000)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)


def recommendation(rid, fix):
    return {"id": rid, "rule": "bench", "severity": "high", "fix": fix}


def recommendations(kinds, file="jobs/big_job.py"):
    every = {
        "conf": {"kind": "conf", "key": "spark.sql.adaptive.enabled", "value": "true"},
        "broadcast": {"kind": "broadcast_hint", "table": "dim_country", "path": None,
                      "join_keys": [], "call_site": {"file": file, "line": JOIN_LINE}},
        "repartition": {"kind": "repartition", "partitions": 64, "key": "customer_id",
                        "call_site": {"file": file, "line": GROUP_BY_LINE}},
        "cache": {"kind": "cache", "table": None, "path": "s3://finance/ledger/2026",
                  "call_site": {"file": file, "line": LEDGER_ACTION_LINE}},
    }
    return {"recommendations": [recommendation(f"bench{n}", every[k])
                                for n, k in enumerate(kinds)]}


def measured(command):
    result = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"setup error: {' '.join(command)} exited {result.returncode}: "
                 f"{result.stderr[-600:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", result.stderr)
    hours = float(wall.group(1) or 0)
    seconds = hours * 3600 + float(wall.group(2)) * 60 + float(wall.group(3))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    summary = [line for line in result.stderr.splitlines() if line.startswith("fix: ")]
    return seconds, rss_kb / 1024, summary[-1] if summary else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prometheus", default=str(ROOT / "build" / "prometheus"))
    parser.add_argument("--mb", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    target = int(args.mb * 1e6)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        big = tmp / "big" / "jobs"
        big.mkdir(parents=True)
        (big / "big_job.py").write_text(JOB + filler(target - len(JOB)))
        side = tmp / "side"
        (side / "jobs").mkdir(parents=True)
        (side / "jobs" / "job.py").write_text(JOB)
        (side / "lib").mkdir()
        (side / "lib" / "helpers.py").write_text(filler(target))
        cases = {
            "one_fix": (tmp / "big", ["conf"]),
            "four_fixes": (tmp / "big", ["conf", "broadcast", "repartition", "cache"]),
            "unrelated": (side, ["conf"]),
        }
        for name, (repo, kinds) in cases.items():
            recs = tmp / f"{name}.json"
            recs.write_text(json.dumps(recommendations(kinds)))
            runs = [measured([args.prometheus, "fix", "--recommendations", str(recs),
                              "--repo", str(repo)]) for _ in range(args.runs)]
            results[name] = {
                "wall_s": round(statistics.median(r[0] for r in runs), 2),
                "peak_rss_mb": round(max(r[1] for r in runs), 1),
                "summary": runs[-1][2],
            }
            print(f"{name:11} {results[name]['wall_s']:7.2f} s {results[name]['peak_rss_mb']:8.1f} MB"
                  f"   {results[name]['summary']}", flush=True)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
