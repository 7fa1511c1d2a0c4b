"""An executor lost to memory: on a local cluster of two 512 MiB executors
(local-cluster[2,1,512], real executor JVMs), one task builds a 600 MB
string. Its executor dies with OutOfMemoryError, the retry kills the other
one too, and with spark.task.maxFailures=2 the job fails."""
from pyspark.sql import functions as F

from _common import session

spark = session("executor_lost", **{"spark.master": "local-cluster[2,1,512]",
                                    "spark.executor.memory": "512m",
                                    "spark.task.maxFailures": "2"})
rows = spark.range(0, 4000, numPartitions=4)
# repeat() of a column, not of a literal, which the optimizer would fold on
# the driver.
blown = rows.select(F.when(F.col("id") == 0, F.expr("repeat(cast(id AS string), 600000000)"))
                    .otherwise(F.lit("ok")).alias("text"))
try:
    print(blown.agg(F.max(F.length("text"))).collect())
except Exception as error:  # the job fails: that is the scenario
    print("job failed:", type(error).__name__)
spark.stop()
