"""Spill: a wide sort of 1.5M rows with a tenth of a 512 MiB heap for
execution and storage, so the sorter spills to disk."""
from pyspark.sql import functions as F

from _common import session

spark = session("spill", **{"spark.driver.memory": "512m",
                            "spark.memory.fraction": "0.1",
                            "spark.sql.shuffle.partitions": "4",
                            # AQE's default, spelled out: the size it coalesces
                            # shuffle partitions up to, which the fix lowers.
                            "spark.sql.adaptive.advisoryPartitionSizeInBytes": "64m"})
rows = spark.range(0, 1_500_000, numPartitions=4).select(
    (F.col("id") * 2654435761 % 1_000_003).alias("k"),
    F.sha2(F.col("id").cast("string"), 256).alias("payload"))
print(rows.orderBy("k", "payload").write.format("noop").mode("overwrite").save())
spark.stop()
