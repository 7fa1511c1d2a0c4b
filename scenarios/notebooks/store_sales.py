# Databricks notebook source
# MAGIC %md
# MAGIC # Sales by warehouse region
# MAGIC Joins the day's sales to the open warehouses (`warehouses`, a table of the workspace).

# COMMAND ----------

from pyspark.sql import functions as F

# COMMAND ----------

sales = spark.range(0, 2_000_000, numPartitions=4).select(
    (F.col("id") % 500 * 800).alias("warehouse_id"), (F.col("id") % 97).alias("amount"))
warehouses = spark.table("warehouses").where("open = 1")

# COMMAND ----------

totals = (sales.join(warehouses, "warehouse_id")
          .groupBy("region").agg(F.sum("amount").alias("total"))
          .collect())
display(sorted(totals))
