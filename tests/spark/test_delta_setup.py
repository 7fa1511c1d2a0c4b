"""The set-up works offline: delta-spark writes a Delta table from the
cached jars, and deltalake (delta-rs) reads it back."""
import os
import subprocess
import sys

from deltalake import DeltaTable


def test_delta_spark_writes_and_deltalake_reads(tmp_path):
    table = str(tmp_path / "table")
    done = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__),
                                                        "delta_write.py"), table],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["1500"]
    delta = DeltaTable(table)
    assert delta.version() == 1
    files = delta.get_add_actions(flatten=True)
    assert sum(files.column("num_records").to_pylist()) == 1500
