"""Shuffle output lost with its executor: on local-cluster[2,1,512] (two
real executor JVMs, no external shuffle service), a shuffle is written by
both executors; then the first attempt of a reducer on one executor ends
the other executor's JVM (SIGHUP, not a memory kill). The reducers cannot
fetch the lost map output (FetchFailed), the map stage's lost tasks run
again (resubmitted) on the surviving executor and the job succeeds."""
import os
import signal

from pyspark import TaskContext

from _common import scratch, session


def executor_pids_of_app(own_pid):
    """The executor JVMs of this application other than our own."""
    with open(f"/proc/{own_pid}/cmdline", "rb") as f:
        own = f.read().split(b"\0")
    app_id = own[own.index(b"--app-id") + 1]
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == own_pid:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                words = f.read().split(b"\0")
        except OSError:
            continue
        if b"org.apache.spark.executor.CoarseGrainedExecutorBackend" in words and \
                b"--app-id" in words and words[words.index(b"--app-id") + 1] == app_id:
            pids.append(int(entry))
    return pids


def reducer(marker):
    def reduce_rows(partition, pairs):
        if partition == 0 and TaskContext.get().attemptNumber() == 0:
            try:  # once: the first reducer 0 to get here, of any stage attempt
                os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                pass
            else:
                for pid in executor_pids_of_app(os.getppid()):
                    os.kill(pid, signal.SIGHUP)
        return (len(list(group)) for _, group in pairs)
    return reduce_rows


spark = session("fetch_failed", **{"spark.master": "local-cluster[2,1,512]",
                                   "spark.executor.memory": "512m",
                                   "spark.python.use.daemon": "false",
                                   "spark.task.maxFailures": "4"})
pairs = spark.sparkContext.parallelize(range(200_000), 8).map(lambda n: (n % 97, n))
marker = os.path.join(scratch("fetch_failed"), "killed")
print(pairs.groupByKey(4).mapPartitionsWithIndex(reducer(marker)).sum())
spark.stop()
