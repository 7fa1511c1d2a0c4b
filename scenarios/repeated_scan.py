"""The same table read again by three actions, without cache()."""
import os

from pyspark.sql import functions as F

from _common import scratch, session

spark = session("repeated_scan", **{"spark.sql.shuffle.partitions": "4"})
path = os.path.join(scratch("repeated_scan"), "events")
spark.range(0, 500_000, numPartitions=4).select(
    F.col("id"), (F.col("id") % 13).alias("kind"),
    F.concat(F.lit("e"), F.col("id").cast("string")).alias("label"),
).write.mode("overwrite").parquet(path)
events = spark.read.parquet(path).where(F.col("kind") < 10)
print(events.count())
print(events.groupBy("kind").count().collect())
print(events.agg(F.max("label")).collect())
spark.stop()
