"""A Python UDF where a built-in exists: upper-casing 300k strings in Python
instead of F.upper."""
from pyspark.sql import functions as F
from pyspark.sql.types import StringType

from _common import session


@F.udf(StringType())
def shout(text):
    return text.upper()


spark = session("python_udf", **{"spark.sql.shuffle.partitions": "4"})
rows = spark.range(0, 300_000, numPartitions=4).select(
    F.concat(F.lit("name-"), F.col("id").cast("string")).alias("name"))
print(rows.select(shout("name").alias("loud")).where(F.col("loud").endswith("7")).count())
spark.stop()
