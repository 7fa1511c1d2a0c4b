"""Star-schema sales mart: the sales facts joined to three dimensions."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pyspark.sql import SparkSession
from pyspark.sql.functions import (
    col,
    sum as sum_,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame
    from pyspark.sql.functions import broadcast


def load_stores(spark: SparkSession) -> DataFrame:
    return spark.read.table("retail.dim_store").select("store_id", "region")


def main() -> None:
    spark = SparkSession.builder.appName("star_schema").getOrCreate()
    sales = spark.read.format("delta").load("/mnt/lake/fact_sales")
    products = spark.sql(
        "SELECT product_id, category FROM retail.dim_product WHERE active"
    )
    dates = spark.table("retail.dim_date")

    mart = (
        sales.join(products, "product_id")
        .join(dates.filter(col("year") >= 2023), on="date_id", how="inner")
        .join(load_stores(spark), "store_id", "left")
        .groupBy("region", "category", "year")
        .agg(sum_("amount").alias("revenue"))
    )
    mart.write.mode("overwrite").saveAsTable("retail.sales_mart")


import sys  # noqa: E402  (after the use sites: not an import they can see)

if __name__ == "__main__":
    main()
    sys.exit(0)
