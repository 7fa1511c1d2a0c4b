from pyspark.sql import SparkSession
from pyspark.sql.functions import broadcast


def main():
    spark = SparkSession.builder.appName("tuned").getOrCreate()
    spark.conf.set("spark.sql.adaptive.enabled", "false")  # tried once, left off

    facts = spark.table("sales.facts")
    stores = spark.table("sales.stores")
    result = facts.join(stores, "store_id")
    result.write.saveAsTable("sales.by_store")


if __name__ == "__main__":
    main()
