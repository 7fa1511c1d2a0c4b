#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Orders per country, with the imports a hurried edit left at the bottom.

The functions alias below comes after the join, so the fix cannot use it.
"""

spark = __import__("launcher").session()

orders = spark.read.parquet("s3://lake/raw/orders")
countries = spark.read.format("delta").load("s3://lake/dim/countries")
by_country = (
    orders.join(countries.select("country_id", "name"), "country_id")
    .groupBy("name")
    .count()
)

import pyspark.sql.functions as F  # noqa: E402

by_country.orderBy(F.desc("count")).show()
