from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
a = spark.table("dim_date")
b = spark.table("dim_date")
facts = spark.table("facts")
out = facts.join(a, "d1").join(b, "d2")
