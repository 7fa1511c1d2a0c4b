"""Daily revenue per country.

Reads the day's orders and the country dimension, joins them and writes a
partitioned summary.
"""
import sys
from datetime import date

import pyspark.sql.functions as F
from pyspark.sql import SparkSession

spark = (
    SparkSession.builder  # the cluster sets the master
    .appName("daily_orders")
    # keep the default parallelism here
    .getOrCreate()
)  # session ready

RUN_DATE = sys.argv[1] if len(sys.argv) > 1 else date.today().isoformat()

orders = spark.read.parquet("s3://lake/raw/orders").where(F.col("dt") == RUN_DATE)
countries = spark.table("dim_country")
small = countries  # an alias the optimizer never sees


def enrich(df):
    return df.withColumn("revenue", F.col("qty") * F.col("price"))


joined = (
    enrich(orders)
    .alias("o")
    .join(  # the join the event log points at
        small.alias("c"),
        on=F.col("o.country_id") == F.col("c.country_id"),
        how="left",
    )
)

(joined.groupBy("c.name")
    .agg(F.sum("revenue").alias("revenue"))
    .write.mode("overwrite")
    .parquet(f"s3://lake/marts/revenue/dt={RUN_DATE}"))
