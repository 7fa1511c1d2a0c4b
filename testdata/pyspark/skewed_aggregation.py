#!/usr/bin/env python3
"""Customer spend per region.

A handful of reseller accounts dominate the purchase events, so the
aggregation by customer runs one very long task.
"""
from pyspark.sql import SparkSession
from pyspark.sql import functions as fn
from pyspark.sql.window import Window

spark = SparkSession.builder.appName("customer_spend").getOrCreate()

events = (
    spark.read.format("delta")
    .load("s3://lake/bronze/purchase_events")  # raw, append-only
    .where(fn.col("status") == "settled")
)
customers = spark.table("crm.customers").select("customer_id", "region")

spend = (
    events
    # the straggler lives here: resellers have millions of rows
    .groupBy("customer_id", "currency")
    .agg(
        fn.sum("amount").alias("amount"),
        fn.count("*").alias("purchases"),
        fn.max("ts").alias("last_purchase"),
    )
)

by_region = spend.join(customers, on="customer_id", how="left")

ranked = by_region.withColumn(
    "rank", fn.row_number().over(Window.partitionBy("region").orderBy(fn.desc("amount")))
)
daily = events.groupby('day').agg(fn.countDistinct("customer_id").alias("buyers"))
top = ranked.where("rank <= 10")

(ranked.write  # one file per region would be plenty
    .mode("overwrite")
    .partitionBy("region")
    .parquet("s3://lake/gold/customer_spend"))

top.writeTo("gold.top_customers") \
    .createOrReplace()
daily.write.saveAsTable("gold.daily_buyers")
print(", ".join(ranked.columns))
