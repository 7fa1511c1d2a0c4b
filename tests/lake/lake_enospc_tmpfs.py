#!/usr/bin/env python3
"""ENOSPC end to end (issue 16): `observe` into a lake on a real, full,
size-limited tmpfs (2 MB) fails with an error naming the file it could not
write, leaves every table readable and as it was, leaves no stray data
file, and completes once there is room again.

The tmpfs is filled to a few levels of free space, so that the full disk is
met at different write steps (a data file, a commit, a checkpoint).

Needs root and a container that allows `mount -t tmpfs`; exits 77 (skipped,
with the reason) otherwise.

    python3 tests/lake/lake_enospc_tmpfs.py build/prometheus"""
import errno
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIRST = os.path.join(REPO, "testdata", "eventlogs", "local-1422981780767")
SECOND = os.path.join(REPO, "testdata", "eventlogs", "app-20200706201101-0003")
TABLES = ("prometheus_metrics", "prometheus_applications")
SKIP = 77


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def snapshot(binary, store):
    """Every table's rows as `show` prints them, and the data files on disk."""
    rows = {}
    for table in TABLES:
        shown = run(binary, "show", table, "--store", store, "--limit", "0", "--format", "json")
        if shown.returncode != 0:
            raise AssertionError(f"show {table} failed after ENOSPC:\n{shown.stderr}")
        rows[table] = json.loads(shown.stdout)
    files = sorted(os.path.relpath(os.path.join(root, f), store)
                   for root, _, names in os.walk(store) for f in names
                   if f.endswith(".parquet") and "_delta_log" not in root)
    return rows, files


def fill(mount, leave_bytes):
    """Fills the file system, then frees `leave_bytes`; returns the filler."""
    filler = os.path.join(mount, "filler")
    with open(filler, "wb", buffering=0) as out:
        for chunk in (1 << 16, 1 << 12, 1 << 9):
            try:
                while out.write(b"\0" * chunk):
                    pass
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
    size = os.path.getsize(filler)
    os.truncate(filler, max(0, size - leave_bytes))
    return filler


def one_level(binary, mount, leave_bytes):
    """The error when the full disk made the observe fail (having checked
    what it left), None when there was room enough."""
    store = os.path.join(mount, "lake")
    first = run(binary, "observe", "--source", FIRST, "--store", store, "--no-progress")
    assert first.returncode == 0, first.stderr
    before = snapshot(binary, store)
    filler = fill(mount, leave_bytes)
    second = run(binary, "observe", "--source", SECOND, "--store", store, "--no-progress")
    failed = second.returncode != 0
    if failed:
        assert second.returncode == 1, (second.returncode, second.stderr)
        assert "No space left on device" in second.stderr, second.stderr
        assert store in second.stderr, f"the error names no file of the store:\n{second.stderr}"
        failing = [t for t in TABLES if os.path.join(store, t) in second.stderr]
        assert failing, f"the error names no table's file:\n{second.stderr}"
        after_failure = snapshot(binary, store)
    os.remove(filler)
    again = run(binary, "observe", "--source", SECOND, "--store", store, "--no-progress")
    assert again.returncode == 0, again.stderr
    done = snapshot(binary, store)
    assert len(done[0]["prometheus_applications"]) == 2, done[0]["prometheus_applications"]
    if failed:
        # One commit per table: the table the error names is as it was; one
        # committed before the failure already holds the batch, as the rerun
        # leaves it. No data file is left that no table names.
        for table in TABLES:
            assert after_failure[0][table] in (before[0][table], done[0][table]), table
            if table in failing:
                assert after_failure[0][table] == before[0][table], f"{table} changed"
        live = set(before[1]) | set(done[1])
        assert set(after_failure[1]) <= live, set(after_failure[1]) - live
    subprocess.run(["rm", "-rf", store], check=True)
    return second.stderr.strip().splitlines()[-1] if failed else None


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    if os.geteuid() != 0:
        print("skipped: mounting a tmpfs needs root", file=sys.stderr)
        return SKIP
    mount = tempfile.mkdtemp(prefix="prometheus-enospc-")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        os.rmdir(mount)
        print(f"skipped: this container does not allow mount -t tmpfs: {mounted.stderr.strip()}",
              file=sys.stderr)
        return SKIP
    try:
        failures = 0
        for leave in (0, 4096, 16384, 20480, 24576, 28672, 32768, 98304):
            error = one_level(binary, mount, leave)
            print(f"{leave:>6} bytes free: "
                  f"{'failed, its table unchanged: ' + error if error else 'room enough'}"
                  "; rerun complete")
            failures += error is not None
        assert failures >= 1, "the full tmpfs never made observe fail"
    finally:
        subprocess.run(["umount", mount], check=False)
        os.rmdir(mount)
    return 0


if __name__ == "__main__":
    sys.exit(main())
