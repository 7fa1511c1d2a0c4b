"""An error in the job's own code: a Python UDF that raises on a row it
cannot parse. Every attempt of the task that meets the row fails the same
way (local[2,4]: four attempts), the stage and the job fail. No setting
fixes it; the fix is in the code, at the line that raised."""
from pyspark.sql import functions as F
from pyspark.sql.types import IntegerType

from _common import session


def parse_quantity(text):
    if not text.isdigit():
        raise ValueError(f"bad quantity {text!r}")
    return int(text)


spark = session("python_exception", **{"spark.master": "local[2,4]"})
quantities = spark.range(0, 2000, numPartitions=4).select(
    F.when(F.col("id") == 1234, F.lit("12x")).otherwise(F.col("id").cast("string")).alias("q"))
parse = F.udf(parse_quantity, IntegerType())
try:
    print(quantities.select(F.sum(parse("q"))).collect())
except Exception as error:  # the job fails: that is the scenario
    print("job failed:", type(error).__name__)
spark.stop()
