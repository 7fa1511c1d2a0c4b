"""Missed broadcast in a .sql file (sql/missed_broadcast.sql), run
statement by statement with spark.sql as a small SQL runner would. The
stores CSV (400k rows, 24 MB) is written by plain Python first; the file
makes it a catalog table and joins it, so the plan names the table."""
import os

from _common import scratch, session

HERE = os.path.dirname(os.path.abspath(__file__))
folder = scratch("missed_broadcast_sqlfile")
stores = os.path.join(folder, "stores")
os.makedirs(stores, exist_ok=True)
with open(os.path.join(stores, "part-0.csv"), "w") as f:
    f.write("store_id,open,region,address\n")
    pad = "a" * 36
    f.writelines(f"{i},{int(i % 800 == 0)},r{i % 7},{pad}\n" for i in range(400_000))

spark = session("missed_broadcast_sqlfile", **{
    "spark.sql.adaptive.enabled": "false", "spark.sql.shuffle.partitions": "8",
    "spark.sql.warehouse.dir": os.path.join(folder, "warehouse")})
with open(os.path.join(HERE, "sql", "missed_broadcast.sql")) as f:
    text = f.read().replace("${stores_path}", stores)
lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
statements = [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
for statement in statements:
    rows = spark.sql(statement).collect()
print(sorted(rows))
spark.stop()
