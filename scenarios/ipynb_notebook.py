"""Missed broadcast in a Jupyter notebook (notebooks/signups.ipynb), run
cell by cell under the file names ipykernel gives cells, so the log's call
sites are `<tmp>/ipykernel_<pid>/<murmur2 of the cell>.py:<line in the
cell>`. The accounts table (400k rows, 24 MB of CSV, 500 of them active)
is the metastore's; Spark estimates it by its files and shuffles 2M events."""
import os

from _common import scratch, session
from _notebooks import run_ipynb, write_dimension

HERE = os.path.dirname(os.path.abspath(__file__))
folder = scratch("ipynb_notebook")
table = write_dimension(folder, "accounts", "account_id", "active", "tier")
# The kernel's session (the notebook's getOrCreate() returns it).
spark = session("ipynb_notebook", **{
    "spark.sql.shuffle.partitions": "8",
    "spark.sql.warehouse.dir": os.path.join(folder, "warehouse")})
spark.sql("CREATE TABLE accounts (account_id BIGINT, active INT, tier STRING, padding STRING) "
          f"USING csv OPTIONS (header 'true') LOCATION '{table}'")
run_ipynb(os.path.join(HERE, "notebooks", "signups.ipynb"), spark)
spark.stop()
