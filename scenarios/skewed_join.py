"""Skewed join key: 90% of 1.5M orders belong to customer 0, so the
sort-merge join's task for that key sorts and joins almost all rows while
the other seven do nothing. Broadcasting is switched off (the customers
would fit) and so is AQE, whose skew-join splitting would hide the skew."""
from pyspark.sql import functions as F

from _common import session

spark = session("skewed_join", **{"spark.sql.adaptive.enabled": "false",
                                  "spark.sql.autoBroadcastJoinThreshold": "-1",
                                  "spark.sql.shuffle.partitions": "8"})
orders = spark.range(0, 1_500_000, numPartitions=4).select(
    F.when(F.col("id") % 10 == 0, F.col("id") % 5000).otherwise(0).alias("customer_id"),
    (F.col("id") * 7919 % 100_003).alias("amount"))
customers = spark.range(0, 5000, numPartitions=2).select(
    F.col("id").alias("customer_id"), (F.col("id") % 50).alias("segment"))
joined = orders.join(customers, "customer_id")
print(sorted(joined.groupBy("segment").agg(F.sum("amount").alias("total")).collect()))
spark.stop()
