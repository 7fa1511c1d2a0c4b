#!/usr/bin/env python3
"""What users write today: per-stage task KPIs of a Spark event log in Python.

One json.loads per line, then for every SparkListenerTaskEnd the task count,
max and (lower) median task duration, spill and shuffle bytes of its stage.
A .zst/.zstd log is decompressed by the `zstd` command through a pipe.

Prints the TSV that gen_eventlog.py --truth writes:
  stage  tasks  max_ms  median_ms  mem_spill  disk_spill  shuffle_read  shuffle_write

Usage: python_baseline.py EVENT_LOG
"""
import collections
import json
import subprocess
import sys


class Stage:
    __slots__ = ("durations", "mem_spill", "disk_spill", "shuffle_read", "shuffle_write")

    def __init__(self):
        self.durations = []
        self.mem_spill = 0
        self.disk_spill = 0
        self.shuffle_read = 0
        self.shuffle_write = 0


def read_stages(lines):
    stages = collections.defaultdict(Stage)
    for line in lines:
        if not line.strip():
            continue
        event = json.loads(line)
        if event.get("Event") != "SparkListenerTaskEnd":
            continue
        stage = stages[event["Stage ID"]]
        info = event["Task Info"]
        stage.durations.append(info["Finish Time"] - info["Launch Time"])
        metrics = event.get("Task Metrics") or {}
        stage.mem_spill += metrics.get("Memory Bytes Spilled", 0)
        stage.disk_spill += metrics.get("Disk Bytes Spilled", 0)
        read = metrics.get("Shuffle Read Metrics") or {}
        stage.shuffle_read += read.get("Remote Bytes Read", 0) + read.get("Local Bytes Read", 0)
        write = metrics.get("Shuffle Write Metrics") or {}
        stage.shuffle_write += write.get("Shuffle Bytes Written", 0)
    return stages


def format_stages(stages):
    rows = ["stage\ttasks\tmax_ms\tmedian_ms\tmem_spill\tdisk_spill\tshuffle_read\tshuffle_write"]
    for stage_id in sorted(stages):
        s = stages[stage_id]
        durations = sorted(s.durations)
        n = len(durations)
        rows.append("\t".join(str(v) for v in (
            stage_id, n, durations[-1], durations[(n - 1) // 2], s.mem_spill, s.disk_spill,
            s.shuffle_read, s.shuffle_write)))
    return "\n".join(rows) + "\n"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    path = sys.argv[1]
    if path.endswith((".zst", ".zstd")):
        with subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE,
                              bufsize=1 << 20) as proc:
            stages = read_stages(proc.stdout)
        if proc.returncode != 0:
            sys.exit("zstd failed on %s" % path)
    else:
        with open(path, "rb") as f:
            stages = read_stages(f)
    sys.stdout.write(format_stages(stages))


if __name__ == "__main__":
    main()
