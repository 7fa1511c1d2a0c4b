#!/usr/bin/env python3
"""Runs tests/spark (real Spark on its two lines, their History Servers,
our binary) with the virtual environments that tools/install-deps.sh
makes, and prints pytest's summary. The ctest test `spark_scenarios` calls
it: the whole suite, or the --quick subset when PROMETHEUS_SPARK_QUICK=1.

    python3 tools/spark_tests.py build/prometheus [--quick] [--line spark4] [pytest args...]
"""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = os.path.join(REPO, ".venv", "bin", "python")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, rest = os.path.abspath(sys.argv[1]), sys.argv[2:]
    if os.environ.get("PROMETHEUS_SPARK_QUICK", "") not in ("", "0") and "--quick" not in rest:
        rest.append("--quick")
    ready = os.access(PYTHON, os.X_OK) and subprocess.run(
        [PYTHON, "-c", "import pyspark, pytest"], capture_output=True).returncode == 0
    if not ready:
        print(f"spark tests: no Spark virtual environment at {os.path.dirname(PYTHON)} "
              "(or pyspark/pytest missing in it); run tools/install-deps.sh first",
              file=sys.stderr)
        return 1
    command = [PYTHON, "-m", "pytest", os.path.join(REPO, "tests", "spark"), "-q",
               "-p", "no:cacheprovider", "--prometheus", binary, *rest]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0:
        print(done.stdout, done.stderr, sep="\n")
    print("spark tests:", lines[-1] if lines else "(pytest printed nothing)")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
