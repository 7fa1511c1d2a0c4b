"""Too many tiny tasks: 20,000 rows aggregated over 2000 shuffle partitions
with AQE's coalescing off, so each task does almost nothing. Its log
(about 15 MiB) rolls into two parts at Spark's smallest maxFileSize."""
from pyspark.sql import functions as F

from _common import session

spark = session("tiny_tasks", **{"spark.sql.shuffle.partitions": "2000",
                                 "spark.sql.adaptive.coalescePartitions.enabled": "false"})
rows = spark.range(0, 20_000, numPartitions=2).select(
    (F.col("id") % 5000).alias("key"), F.col("id").alias("value"))
print(rows.groupBy("key").agg(F.sum("value")).count())
spark.stop()
