"""Writes the Delta tables in this folder with delta-spark 3.3.2 (Spark 3.5,
the jars of .cache/spark-jars), as the C++ tests of src/prometheus/delta
read them:

    .venv/bin/python testdata/delta/make_fixtures.py testdata/delta

Each table holds ids 0..9 in column `id` (long) and their text in `s`
(string), written as two appends and one delete of id 9 (5 commits), then
checkpointed at version 4 in one form; the commits before the checkpoint and
Spark's .crc files are removed, as Delta's log clean-up would, so that a
reader must use the checkpoint:
- spark-multipart-checkpoint: a classic multi-part checkpoint (2 parts,
  spark.databricks.delta.checkpoint.partSize=2);
- spark-v2-checkpoint: a v2 checkpoint (delta.checkpointPolicy=v2), a JSON
  file naming a Parquet sidecar in _delta_log/_sidecars.
"""
import glob
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "tests", "spark"))
import delta_interop  # noqa: E402


def write(spark, path, properties, part_size=None):
    shutil.rmtree(path, ignore_errors=True)
    rows = lambda a, b: spark.range(a, b, numPartitions=1).selectExpr("id", "cast(id AS string) s")
    rows(0, 5).write.format("delta").save(path)
    rows(5, 10).write.format("delta").mode("append").save(path)
    spark.sql(f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES ({properties})").collect()
    spark.sql(f"DELETE FROM delta.`{path}` WHERE id = 9").collect()
    if part_size:
        spark.conf.set("spark.databricks.delta.checkpoint.partSize", str(part_size))
    spark.sql(f"ALTER TABLE delta.`{path}` SET TBLPROPERTIES "
              "('delta.checkpointInterval'='1')").collect()
    spark.conf.unset("spark.databricks.delta.checkpoint.partSize")
    log = os.path.join(path, "_delta_log")
    for version in range(4):
        os.remove(os.path.join(log, f"{version:020}.json"))
    for crc in glob.glob(os.path.join(path, "**", "*.crc"), recursive=True):
        os.remove(crc)
    for crc in glob.glob(os.path.join(path, "**", ".*.crc"), recursive=True):
        os.remove(crc)
    shutil.rmtree(os.path.join(log, "_commits"), ignore_errors=True)


spark = delta_interop.spark_session()
out = os.path.abspath(sys.argv[1])
write(spark, os.path.join(out, "spark-multipart-checkpoint"), "'delta.appendOnly'='false'", 2)
write(spark, os.path.join(out, "spark-v2-checkpoint"), "'delta.checkpointPolicy'='v2'")
for name in ("spark-multipart-checkpoint", "spark-v2-checkpoint"):
    print(name, spark.read.format("delta").load(os.path.join(out, name)).count())
delta_interop.stop_spark()
