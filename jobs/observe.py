"""The nightly job's first task: the distributed observe of the workspace's
cluster logs into the lake (prometheus.spark.observe), one log per task on
the job cluster. Arguments as `python -m prometheus.spark --help` says."""
import sys

from prometheus.spark import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
