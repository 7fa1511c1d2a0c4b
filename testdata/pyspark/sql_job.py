# Nightly revenue report, written mostly in SQL.
from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("revenue").getOrCreate()
run_date = "2024-05-01"

# Staging: a JOIN in a comment and 'dim_country' in a string must not count.
staged = spark.sql(
    """
    -- JOIN dim_country d ON ... (old version)
    WITH recent AS (
        SELECT o.order_id, o.country_id, o.amount
        FROM sales.orders o  /* JOIN dim_country */
        WHERE o.status <> 'dim_country'
    )
    SELECT r.order_id, c.name AS country, r.amount
    FROM recent r
    JOIN sales.dim_country AS c ON r.country_id = c.id
    """
)

report = spark.sql(f"SELECT /*+ REPARTITION(8) */ s.day, SUM(s.amount) FROM sales s JOIN dim_store st ON s.store_id = st.id WHERE s.day = '{run_date}' GROUP BY s.day")
report.write.mode("overwrite").saveAsTable("revenue_daily")
