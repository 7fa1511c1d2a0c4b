"""A cartesian join: 4000 price bands joined to 4000 quotes by a range
condition (no equality), so Spark compares every pair (16M) in a
nested-loop join."""
from pyspark.sql import functions as F

from _common import session

spark = session("cartesian_join", **{"spark.sql.shuffle.partitions": "4"})
bands = spark.range(0, 4000, numPartitions=2).select(
    (F.col("id") * 25).alias("low"), (F.col("id") * 25 + 25).alias("high"))
quotes = spark.range(0, 4000, numPartitions=2).select(
    (F.col("id") * 7919 % 100_000).alias("price"))
matched = quotes.join(bands, (quotes.price >= bands.low) & (quotes.price < bands.high))
print(matched.agg(F.count("*").alias("matches")).collect())
spark.stop()
