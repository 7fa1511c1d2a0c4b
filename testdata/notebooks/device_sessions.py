# Databricks notebook source
# DBTITLE 1,Parameters
dbutils.widgets.text("day", "2024-06-01")
DAY = dbutils.widgets.get("day")

# COMMAND ----------

# MAGIC %sh
# MAGIC ls /dbfs/mnt/raw/devices | head

# COMMAND ----------

# MAGIC %scala
# MAGIC spark.conf.get("spark.sql.shuffle.partitions")

# COMMAND ----------

sessions = spark.table("raw.sessions").where(f"day = '{DAY}'")
sessions.createOrReplaceTempView("sessions")

# COMMAND ----------

# MAGIC %sql
# MAGIC CREATE OR REPLACE TEMP VIEW enriched AS
# MAGIC SELECT /*+ BROADCAST(d) */ s.*, d.model
# MAGIC FROM sessions s
# MAGIC LEFT JOIN ref.devices d
# MAGIC   ON s.device_id = d.device_id

# COMMAND ----------

display(spark.table("enriched").groupBy("model").count())
