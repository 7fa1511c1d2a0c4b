"""Too few partitions: coalesce(1) before a heavy stage, so one task hashes
all 400k rows twice with SHA-512 on one of the executor's two cores while
the other idles (the noop write makes it the only stage). It runs on a
local cluster (local-cluster[1,2,1024]: one real executor JVM with two
cores), as on a cluster: in local mode the driver runs the tasks and the
log names no executor, so the Omen knows no core count there (docs/KPIS.md)."""
from pyspark.sql import functions as F

from _common import session

spark = session("few_partitions", **{"spark.master": "local-cluster[1,2,1024]",
                                     "spark.executor.memory": "1g"})
rows = spark.range(0, 400_000, numPartitions=4).coalesce(1)
hashed = rows.select(F.sha2(F.sha2(F.col("id").cast("string"), 512), 512).alias("h"))
hashed.write.format("noop").mode("overwrite").save()
spark.stop()
