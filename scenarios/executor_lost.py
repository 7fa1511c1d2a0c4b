"""An executor lost to memory: on a local cluster of one executor with two
cores and 512 MiB (local-cluster[1,2,512], a real executor JVM), one task
builds a 600 MB string while the other hashes long strings. The executor
dies of OutOfMemoryError, taking the other task with it (ExecutorLostFailure,
exit code 52); the OOM task's retry on the relaunched executor kills it
again, and with spark.task.maxFailures=2 the job fails."""
from pyspark.sql import functions as F

from _common import session

spark = session("executor_lost", **{"spark.master": "local-cluster[1,2,512]",
                                    "spark.executor.memory": "512m",
                                    "spark.task.maxFailures": "2"})
rows = spark.range(0, 4000, numPartitions=4)
# repeat() of a column, not of a literal, which the optimizer would fold on
# the driver.
blown = rows.select(F.when(F.col("id") == 0, F.expr("repeat(cast(id AS string), 600000000)"))
                    .otherwise(F.sha2(F.expr("repeat(cast(id AS string), 100000)"), 512))
                    .alias("text"))
try:
    print(blown.agg(F.max(F.length("text"))).collect())
except Exception as error:  # the job fails: that is the scenario
    print("job failed:", type(error).__name__)
spark.stop()
