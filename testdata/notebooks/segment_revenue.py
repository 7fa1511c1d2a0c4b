# Databricks notebook source
# MAGIC %md
# MAGIC # Daily revenue by customer segment
# MAGIC
# MAGIC Joins the day's orders with the customer dimension and writes one row per segment.

# COMMAND ----------

# MAGIC %pip install great-expectations==0.18.8

# COMMAND ----------

# MAGIC %run ./shared/config

# COMMAND ----------

import pyspark.sql.functions as F
from pyspark.sql import Window
from pyspark.sql.types import (
  DecimalType,
  StringType,
)

RUN_DATE = dbutils.widgets.get("run_date")

# COMMAND ----------

# DBTITLE 1,Load the inputs
orders = (
  spark.read.table("sales.orders")
  .where(F.col("order_date") == RUN_DATE)
)
customers = spark.table("sales.customers")

# COMMAND ----------

enriched = orders.alias("o").join(
  customers.alias("c"),
  on=F.col("o.customer_id") == F.col("c.customer_id"),
  how="left",
)


def segment_totals(df):
  by_segment = Window.partitionBy("c.segment")
  return (
    df.withColumn("segment_rows", F.count("*").over(by_segment))
    .groupBy("c.segment")
    .agg(F.sum("o.amount").cast(DecimalType(18, 2)).alias("revenue"))
  )


totals = segment_totals(enriched)
display(totals)

# COMMAND ----------

# MAGIC %sql
# MAGIC SELECT o.*, c.name
# MAGIC FROM sales.orders o
# MAGIC JOIN sales.customers c
# MAGIC   ON o.customer_id = c.customer_id
# MAGIC WHERE o.order_date = '${run_date}'

# COMMAND ----------

# DBTITLE 1,Row count check
# MAGIC %sql
# MAGIC SELECT count(*) AS n
# MAGIC
# MAGIC FROM sales.orders
# MAGIC WHERE order_date = '${run_date}'

# COMMAND ----------

totals.write.mode("overwrite").saveAsTable("marts.segment_revenue")
