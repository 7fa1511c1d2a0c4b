"""Missed broadcast in a Databricks notebook source (notebooks/store_sales.py),
run cell by cell under the file names Databricks gives its commands, so the
log's call sites are `.../command-<id>-<n>:<line in the cell>`. The
warehouses table (400k rows, 24 MB of CSV, 500 of them open) is the
workspace's; Spark estimates it by its files and shuffles 2M sales rows."""
import os

from _common import scratch, session
from _notebooks import run_databricks_source, write_dimension

HERE = os.path.dirname(os.path.abspath(__file__))
folder = scratch("databricks_notebook")
table = write_dimension(folder, "warehouses", "warehouse_id", "open", "region")
spark = session("databricks_notebook", **{
    "spark.sql.adaptive.enabled": "false", "spark.sql.shuffle.partitions": "8",
    "spark.sql.warehouse.dir": os.path.join(folder, "warehouse")})
spark.sql("CREATE TABLE warehouses (warehouse_id BIGINT, open INT, region STRING, padding STRING) "
          f"USING csv OPTIONS (header 'true') LOCATION '{table}'")
run_databricks_source(os.path.join(HERE, "notebooks", "store_sales.py"), spark)
spark.stop()
