"""Writes a small Delta table with delta-spark, from the jars that
tools/install-deps.sh fetched for this pyspark's line (no download):
python delta_write.py PATH"""
import glob
import os
import sys

import pyspark
from pyspark.sql import SparkSession

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Spark 3.5's jars are in .cache/spark-jars, Spark 4's in its spark-4 folder.
folder = os.path.join(REPO, ".cache", "spark-jars",
                      *(["spark-4"] if pyspark.__version__.startswith("4.") else []))
jars = sorted(glob.glob(os.path.join(folder, "delta-*.jar")))
assert len(jars) == 2, "Delta's jars are missing from .cache/spark-jars: run tools/install-deps.sh"
spark = (SparkSession.builder.master("local[2]").appName("delta_write")
         .config("spark.driver.memory", "512m").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.jars", ",".join(jars))
         .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
         .config("spark.sql.catalog.spark_catalog",
                 "org.apache.spark.sql.delta.catalog.DeltaCatalog")
         .getOrCreate())
spark.range(0, 1000, numPartitions=2).selectExpr("id", "id % 7 AS kind") \
    .write.format("delta").save(sys.argv[1])
spark.range(1000, 1500, numPartitions=1).selectExpr("id", "id % 7 AS kind") \
    .write.format("delta").mode("append").save(sys.argv[1])
print(spark.read.format("delta").load(sys.argv[1]).count())
spark.stop()
