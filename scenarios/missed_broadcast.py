"""Missed broadcast: a 500-row dimension built from an RDD has no size
statistics, so with AQE off Spark plans a sort-merge join and shuffles the
2M-row fact table. Healthy twin: broadcast_join.py."""
from pyspark.sql import Row, functions as F

from _common import session

spark = session("missed_broadcast", **{"spark.sql.adaptive.enabled": "false",
                                       "spark.sql.shuffle.partitions": "8"})
facts = spark.range(0, 2_000_000, numPartitions=4).select(
    (F.col("id") % 500).alias("product_id"), (F.col("id") % 97).alias("amount"))
products = spark.createDataFrame(
    spark.sparkContext.parallelize([Row(product_id=i, category=f"c{i % 7}") for i in range(500)], 2))
joined = facts.join(products, "product_id")
totals = joined.groupBy("category").agg(F.sum("amount").alias("total"))
print(sorted(totals.collect()))
spark.stop()
