"""Skewed aggregation key: 90% of 1M rows share key 0, and a window over the
key (no partial aggregation) puts them all in one task. AQE's coalescing
is off so the small shuffle keeps its 8 partitions, one of them hot."""
from pyspark.sql import Window, functions as F

from _common import session

spark = session("skewed_aggregation", **{
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.adaptive.coalescePartitions.enabled": "false"})
rows = spark.range(0, 1_000_000, numPartitions=4).select(
    F.when(F.col("id") % 10 == 0, F.col("id") % 1000).otherwise(0).alias("key"),
    (F.col("id") * 7919 % 100_003).alias("value"))
window = Window.partitionBy("key").orderBy("value")
ranked = rows.withColumn("rank", F.row_number().over(window)).withColumn(
    "recent", F.max("value").over(window.rowsBetween(-100, 0)))
print(ranked.where("rank <= 3").agg(F.sum("recent")).collect())
spark.stop()
