from pyspark.sql import SparkSession

spark = SparkSession.builder.getOrCreate()
orders = spark.table("orders"
countries = spark.table("dim_country")
orders.join(countries, "country_id").show()
