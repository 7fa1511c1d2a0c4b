"""Too few partitions: coalesce(1) before a heavy stage, so one task hashes
all 400k rows on one of the two cores while the other idles (the noop
write makes it the only stage)."""
from pyspark.sql import functions as F

from _common import session

spark = session("few_partitions")
rows = spark.range(0, 400_000, numPartitions=4).coalesce(1)
hashed = rows.select(F.sha2(F.sha2(F.col("id").cast("string"), 512), 512).alias("h"))
hashed.write.format("noop").mode("overwrite").save()
spark.stop()
