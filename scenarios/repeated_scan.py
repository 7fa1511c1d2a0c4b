"""The same table read again by three actions, without cache(). The table
is a CSV file written by plain Python first, so this application only reads it."""
import csv
import os

from pyspark.sql import functions as F

from _common import scratch, session

path = os.path.join(scratch("repeated_scan"), "events.csv")
with open(path, "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["id", "kind", "label"])
    out.writerows((i, i % 13, f"e{i}") for i in range(300_000))

spark = session("repeated_scan", **{"spark.sql.shuffle.partitions": "4"})
events = spark.read.csv(path, header=True, schema="id long, kind int, label string")
events = events.where(F.col("kind") < 10)
print(events.count())
print(events.groupBy("kind").count().collect())
print(events.agg(F.max("label")).collect())
spark.stop()
