"""Tasks that fail and are retried: on its first attempt, every other
partition raises, and the retry (local[2,4]: up to 4 attempts) succeeds."""
from pyspark import TaskContext

from _common import session


def flaky(partition, rows):
    if partition % 2 == 0 and TaskContext.get().attemptNumber() == 0:
        raise RuntimeError(f"transient failure in partition {partition}")
    return (row * row for row in rows)


spark = session("retried_tasks", **{"spark.master": "local[2,4]"})
numbers = spark.sparkContext.parallelize(range(400_000), 8)
print(numbers.mapPartitionsWithIndex(flaky).sum())
spark.stop()
