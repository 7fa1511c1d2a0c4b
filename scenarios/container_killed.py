"""An executor killed from outside, as YARN's or Kubernetes' memory limit
(or the kernel's OOM killer) kills a container that outgrew its memory:
with SIGKILL, exit code 137. On local-cluster[1,1,512] (a real executor
JVM), the first attempt of one task sends SIGKILL to its own executor (the
Python worker's parent, since spark.python.use.daemon=false); the worker
starts a new executor and the retry succeeds. What is imitated is the
kill, not the memory growth that would cause it: the log is the one a
killed container leaves."""
import os
import signal

from pyspark import TaskContext

from _common import session


def rows(partition, values):
    context = TaskContext.get()
    if partition == 1 and context.attemptNumber() == 0:
        os.kill(os.getppid(), signal.SIGKILL)  # the executor JVM
    return (value * 2 for value in values)


spark = session("container_killed", **{"spark.master": "local-cluster[1,1,512]",
                                       "spark.executor.memory": "512m",
                                       "spark.python.use.daemon": "false",
                                       "spark.task.maxFailures": "4"})
numbers = spark.sparkContext.parallelize(range(40_000), 4)
print(numbers.mapPartitionsWithIndex(rows).sum())
spark.stop()
