"""Skewed aggregation key: 90% of 1M rows share key 0, and a window over the
key (no partial aggregation) puts them all in one task."""
from pyspark.sql import Window, functions as F

from _common import session

spark = session("skewed_aggregation", **{"spark.sql.shuffle.partitions": "8"})
rows = spark.range(0, 1_000_000, numPartitions=4).select(
    F.when(F.col("id") % 10 == 0, F.col("id") % 1000).otherwise(0).alias("key"),
    (F.col("id") * 7919 % 100_003).alias("value"))
ranked = rows.withColumn("rank", F.row_number().over(Window.partitionBy("key").orderBy("value")))
print(ranked.where("rank <= 3").count())
spark.stop()
