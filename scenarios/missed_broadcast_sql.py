"""Missed broadcast in SQL over temporary views: the products CSV (400k
rows, 24 MB) is estimated by its file size, so Spark plans a sort-merge join
although only its 500 active products reach the join, and the 2M-row sales
view is shuffled. The CSV is written by plain Python first, so this
application only reads it."""
import os

from _common import scratch, session

path = os.path.join(scratch("missed_broadcast_sql"), "products.csv")
with open(path, "w") as f:
    f.write("product_id,active,category,description\n")
    pad = "d" * 36
    f.writelines(f"{i},{int(i % 800 == 0)},c{i % 7},{pad}\n" for i in range(400_000))

spark = session("missed_broadcast_sql", **{"spark.sql.adaptive.enabled": "false",
                                           "spark.sql.shuffle.partitions": "8"})
spark.read.csv(path, header=True,
               schema="product_id long, active int, category string, description string"
               ).createOrReplaceTempView("products")
spark.range(0, 2_000_000, numPartitions=4).selectExpr(
    "id % 500 * 800 AS product_id", "id % 97 AS amount").createOrReplaceTempView("sales")
totals = spark.sql("""
    SELECT p.category, SUM(s.amount) AS total
    FROM sales s JOIN products p ON s.product_id = p.product_id
    WHERE p.active = 1
    GROUP BY p.category""")
print(sorted(totals.collect()))
spark.stop()
