# A CRLF job, as written on Windows.
from pyspark.sql import SparkSession
from pyspark.sql.functions import col, sum as sum_

spark = SparkSession.builder.appName("crlf").getOrCreate()

events = spark.read.format("delta").load("/mnt/events")
users = spark.read.parquet("/mnt/dim/users")

per_user = events.join(users, "user_id").groupBy(col("country")).agg(sum_("n"))
per_user.write.saveAsTable("per_user")
