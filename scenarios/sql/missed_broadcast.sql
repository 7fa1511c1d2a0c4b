-- Missed broadcast in a .sql file, run by missed_broadcast_sqlfile.py: the
-- stores table is estimated by its 24 MB CSV file, so Spark shuffles the
-- orders to join it by sort-merge although only 500 open stores qualify.
CREATE TABLE stores (store_id BIGINT, open INT, region STRING, address STRING)
USING csv OPTIONS (header 'true') LOCATION '${stores_path}';

CREATE TEMPORARY VIEW orders AS
SELECT id % 500 * 800 AS store_id, id % 97 AS amount FROM range(0, 2000000, 1, 4);

SELECT s.region, SUM(o.amount) AS total
FROM orders o JOIN stores s ON o.store_id = s.store_id
WHERE s.open = 1
GROUP BY s.region;
