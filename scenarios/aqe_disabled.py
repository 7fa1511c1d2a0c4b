"""AQE switched off with a real shuffle: 2M rows aggregated by 200k keys
over the default 200 shuffle partitions, none coalesced nor adapted."""
from pyspark.sql import functions as F

from _common import session

spark = session("aqe_disabled", **{"spark.sql.adaptive.enabled": "false"})
rows = spark.range(0, 2_000_000, numPartitions=4).select(
    (F.col("id") % 200_000).alias("key"), F.col("id").alias("value"))
print(rows.groupBy("key").agg(F.sum("value").alias("total")).where("total % 7 = 0").count())
spark.stop()
